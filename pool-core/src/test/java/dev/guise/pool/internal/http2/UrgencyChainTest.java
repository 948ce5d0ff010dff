package dev.guise.pool.internal.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.Header;
import dev.guise.codec.http2.Http2Exception;
import dev.guise.codec.http2.ReceiveWindow;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chromium's HEADERS dependency rule, case by case: the newest open stream of the nearest urgency
 * at or above the new one's; closed streams have left the chain. The session capture's own case (0,
 * 5, 7) is checked on the wire by the session module's {@code SessionCaptureWireTest}.
 */
class UrgencyChainTest {

  @ParameterizedTest(name = "{0}: u={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                  | 0 | 0",
        "1:0                 | 1 | 1",
        // The capture: style (u=0) open, script (u=1) open; the image (u=2) takes the script.
        "5:0 7:1             | 2 | 7",
        "5:0 7:1             | 1 | 7",
        "5:0 7:1             | 0 | 5",
        // The nearest level wins over a newer stream of a more urgent level.
        "3:1 5:0             | 1 | 3",
        "3:1 5:0             | 4 | 3",
        // Less urgent streams are never parents.
        "3:4 5:4             | 2 | 0",
        // The newest of the level wins, wherever older ones of it are.
        "3:1 5:1 7:1         | 1 | 7",
        "3:1 5:0 7:1 9:0     | 1 | 7",
        "3:1 5:0 7:1 9:0     | 5 | 7",
        "3:0 5:1 7:1x        | 2 | 5",
        // A closed stream has left the chain.
        "3:1 5:1x            | 1 | 3",
        "3:1x                | 1 | 0",
      })
  void parent(String open, int urgency, int expected) throws Http2Exception {
    List<Http2Stream> streams = new ArrayList<>();
    for (String s : open.isBlank() ? new String[0] : open.trim().split("\\s+")) {
      String[] idAndUrgency = s.split(":");
      boolean closed = idAndUrgency[1].endsWith("x");
      Http2Stream stream =
          new Http2Stream(ExchangeLimits.DEFAULT, false, new ReentrantLock().newCondition());
      int id = Integer.parseInt(idAndUrgency[0]);
      stream.open(id, null, new ReceiveWindow(id, 65_535), 65_535, true);
      stream.urgency = Integer.parseInt(idAndUrgency[1].replace("x", ""));
      if (closed) {
        stream.state.receive("HEADERS", true);
      }
      streams.add(stream);
    }
    assertEquals(expected, UrgencyChain.parent(streams, urgency));
  }

  @Test
  void urgencyComesFromThePriorityHeader() {
    assertEquals(0, UrgencyChain.urgency(List.of(new Header("priority", "u=0, i"))));
    assertEquals(5, UrgencyChain.urgency(List.of(new Header("priority", "i, u=5"))));
    assertEquals(2, UrgencyChain.urgency(List.of(new Header("Priority", "u=2"))));
    // RFC 9218's default, for no header, no u, or a value out of range.
    assertEquals(3, UrgencyChain.urgency(List.of(new Header("accept", "*/*"))));
    assertEquals(3, UrgencyChain.urgency(List.of(new Header("priority", "i"))));
    assertEquals(3, UrgencyChain.urgency(List.of(new Header("priority", "u=9"))));
    // Members are stripped and split at commas; a member must be exactly u=N.
    assertEquals(1, UrgencyChain.urgency(List.of(new Header("priority", " i ,  u=1 "))));
    assertEquals(4, UrgencyChain.urgency(List.of(new Header("priority", ",u=4,"))));
    assertEquals(3, UrgencyChain.urgency(List.of(new Header("priority", "u=10, u="))));
    assertEquals(3, UrgencyChain.urgency(List.of(new Header("priority", "xu=1, u=1;x"))));
    // A header without a usable member does not end the search.
    assertEquals(
        6,
        UrgencyChain.urgency(List.of(new Header("priority", "i"), new Header("priority", "u=6"))));
  }
}
