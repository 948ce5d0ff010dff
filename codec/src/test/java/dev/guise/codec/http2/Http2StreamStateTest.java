package dev.guise.codec.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.codec.http2.Http2StreamState.State;
import org.junit.jupiter.api.Test;

/** The stream states of RFC 9113 section 5.1, from both ends. */
class Http2StreamStateTest {
  @Test
  void clientRequestWithoutBodyThenResponse() throws Exception {
    Http2StreamState s = new Http2StreamState(1);
    s.sendHeaders(true);
    assertEquals(State.HALF_CLOSED_LOCAL, s.state());
    assertFalse(s.canSend());
    assertTrue(s.receive("HEADERS", false));
    assertEquals(State.HALF_CLOSED_LOCAL, s.state());
    assertTrue(s.receive("DATA", true));
    assertEquals(State.CLOSED, s.state());
    assertTrue(s.remoteClosed());
    assertFalse(s.sendReset(), "nothing to reset on a closed stream");
  }

  @Test
  void clientRequestWithBodyAnsweredEarly() throws Exception {
    Http2StreamState s = new Http2StreamState(1);
    s.sendHeaders(false);
    assertEquals(State.OPEN, s.state());
    assertTrue(s.receive("HEADERS", true)); // 413 before the body was sent
    assertEquals(State.HALF_CLOSED_REMOTE, s.state());
    assertTrue(s.canSend());
    assertTrue(s.sendReset(), "stop sending the body");
    assertTrue(s.remoteClosed(), "the answer stays complete");
    assertFalse(s.sendReset(), "never twice");
  }

  @Test
  void serverSideOpensOnHeadersAndClosesWithItsEndStream() throws Exception {
    Http2StreamState s = new Http2StreamState(3);
    assertTrue(s.receive("HEADERS", false));
    assertEquals(State.OPEN, s.state());
    assertTrue(s.receive("DATA", true));
    assertEquals(State.HALF_CLOSED_REMOTE, s.state());
    s.sendEndStream();
    assertEquals(State.CLOSED, s.state());
  }

  @Test
  void framesAfterThePeersEndStreamAreStreamClosedErrors() throws Exception {
    Http2StreamState s = new Http2StreamState(1);
    s.sendHeaders(true);
    s.receive("HEADERS", true);
    Http2Exception e = assertThrows(Http2Exception.class, () -> s.receive("DATA", false));
    assertEquals(Http2ErrorCode.STREAM_CLOSED, e.errorCode());
    assertEquals(1, e.streamId());

    Http2StreamState reset = new Http2StreamState(3);
    reset.sendHeaders(true);
    reset.receiveReset();
    assertTrue(reset.remoteClosed());
    assertFalse(reset.sendReset(), "no RST_STREAM answers an RST_STREAM");
    assertThrows(Http2Exception.class, () -> reset.receive("HEADERS", false));
  }

  @Test
  void framesInFlightAfterOurResetAreIgnored() throws Exception {
    Http2StreamState s = new Http2StreamState(1);
    s.sendHeaders(true);
    s.receive("HEADERS", false);
    assertTrue(s.sendReset());
    assertTrue(s.isClosed());
    assertFalse(s.receive("DATA", false));
    assertFalse(s.receive("DATA", true));

    Http2StreamState abandoned = new Http2StreamState(5);
    abandoned.sendHeaders(true);
    abandoned.abandon();
    assertFalse(abandoned.sendReset());
    assertFalse(abandoned.receive("HEADERS", true));
  }

  @Test
  void ourOwnMisuseIsABug() {
    Http2StreamState s = new Http2StreamState(1);
    assertFalse(s.sendReset(), "an idle stream is not reset");
    assertThrows(IllegalStateException.class, s::sendEndStream);
    s.sendHeaders(true);
    assertThrows(IllegalStateException.class, () -> s.sendHeaders(true));
    assertThrows(IllegalStateException.class, s::sendEndStream);
  }
}
