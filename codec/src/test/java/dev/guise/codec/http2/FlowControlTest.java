package dev.guise.codec.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The windows of RFC 9113 section 6.9: credit both ways, and the limits a peer may not pass. */
class FlowControlTest {
  @Test
  void dataNeedsCreditInTheStreamAndTheConnection() throws Exception {
    SendWindows windows = new SendWindows();
    FlowWindow stream = windows.openStream(1);
    assertEquals(FlowWindow.DEFAULT_SIZE, stream.size());
    assertEquals(16_384, windows.take(stream, 16_384));
    assertEquals(65_535 - 16_384, windows.connection().size());
    assertEquals(65_535 - 16_384, stream.size());

    // A second stream drains what is left of the connection window.
    FlowWindow other = windows.openStream(3);
    assertEquals(65_535 - 16_384, windows.take(other, 100_000));
    assertEquals(0, windows.take(stream, 1), "the connection window is shut");
    windows.connection().expand(10);
    assertEquals(10, windows.take(stream, 100));
    assertEquals(0, windows.take(other, 1), "the stream window is shut");
  }

  @Test
  void windowUpdatePast2To31IsAConnectionOrStreamError() throws Exception {
    FlowWindow connection = new FlowWindow(0, FlowWindow.DEFAULT_SIZE);
    connection.expand(FlowWindow.MAX_SIZE - FlowWindow.DEFAULT_SIZE);
    assertEquals(FlowWindow.MAX_SIZE, connection.size());
    Http2Exception c = assertThrows(Http2Exception.class, () -> connection.expand(1));
    assertTrue(c.isConnectionError());
    assertEquals(Http2ErrorCode.FLOW_CONTROL_ERROR, c.errorCode());

    FlowWindow stream = new FlowWindow(5, FlowWindow.MAX_SIZE);
    Http2Exception s = assertThrows(Http2Exception.class, () -> stream.expand(1));
    assertFalse(s.isConnectionError());
    assertEquals(5, s.streamId());
    assertEquals(Http2ErrorCode.FLOW_CONTROL_ERROR, s.errorCode());
  }

  @Test
  void initialWindowChangeMovesOpenStreamsOnlyAndMayGoNegative() throws Exception {
    SendWindows windows = new SendWindows();
    FlowWindow stream = windows.openStream(1);
    windows.take(stream, 60_000);
    windows.initialStreamWindowChanged(1_000, List.of(stream));
    assertEquals(1_000 - 60_000, stream.size(), "RFC 9113 6.9.2: a window can go negative");
    assertEquals(0, windows.take(stream, 1));
    assertEquals(65_535 - 60_000, windows.connection().size(), "the connection window stays");
    assertEquals(1_000, windows.openStream(3).size());

    FlowWindow big = windows.openStream(5);
    big.expand(FlowWindow.MAX_SIZE - 1_000);
    Http2Exception e =
        assertThrows(
            Http2Exception.class, () -> windows.initialStreamWindowChanged(2_000, List.of(big)));
    assertTrue(
        e.isConnectionError(), "RFC 9113 6.9.2: an overflow by SETTINGS is a connection error");
  }

  @Test
  void receiveWindowCreditsHalfAWindowAtATimeAndRejectsOverruns() throws Exception {
    ReceiveWindow window = new ReceiveWindow(1, 1_000);
    window.receive(400);
    assertEquals(0, window.updateDue(), "less than half the window spent");
    window.receive(100);
    assertEquals(500, window.updateDue());
    assertEquals(1_000, window.size());
    assertEquals(0, window.updateDue(), "the credit went out once");

    window.receive(1_000);
    Http2Exception e = assertThrows(Http2Exception.class, () -> window.receive(1));
    assertTrue(e.isConnectionError());
    assertEquals(Http2ErrorCode.FLOW_CONTROL_ERROR, e.errorCode());
  }
}
