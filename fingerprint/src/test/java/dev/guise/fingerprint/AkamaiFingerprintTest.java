package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.guise.fingerprint.AkamaiFingerprint.Http2Setting;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import dev.guise.fingerprint.Captures.Capture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AkamaiFingerprintTest {
  static Stream<Capture> capturesWithHttp2() {
    return Captures.all().stream()
        .filter(
            c -> {
              Map<String, Object> h = c.map("http2");
              return h != null && h.get("akamai_fingerprint") != null;
            });
  }

  @Test
  void sixCapturesCarryHttp2() {
    // Chromium 3 launches + Firefox 2 + curl 1; the other Chromium connections ended before
    // the preface.
    assertEquals(6, capturesWithHttp2().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("capturesWithHttp2")
  @SuppressWarnings("unchecked")
  void matchesEveryCapture(Capture c) {
    Map<String, Object> d = c.map("http2", "detail");
    List<Http2Setting> settings = new ArrayList<>();
    for (Map<String, Object> s : (List<Map<String, Object>>) d.get("settings")) {
      settings.add(
          new Http2Setting(
              ((Number) s.get("id")).intValue(), ((Number) s.get("value")).longValue()));
    }
    Object wu = d.get("connection_window_update_before_first_headers");
    List<PriorityFrame> frames = new ArrayList<>();
    for (Map<String, Object> p :
        (List<Map<String, Object>>) d.get("priority_frames_before_first_headers")) {
      frames.add(
          new PriorityFrame(
              ((Number) p.get("stream_id")).intValue(),
              new Priority(
                  (Boolean) p.get("exclusive"),
                  ((Number) p.get("depends_on")).intValue(),
                  ((Number) p.get("weight")).intValue())));
    }
    AkamaiFingerprint fp =
        new AkamaiFingerprint(
            settings,
            wu == null ? 0 : ((Number) wu).longValue(),
            frames,
            (List<String>) (List<?>) d.get("first_headers_pseudo_order"));
    assertEquals(c.map("http2").get("akamai_fingerprint"), fp.value());
  }

  @Test
  void formatsAbsentWindowUpdateAndPriorityFrames() {
    AkamaiFingerprint fp =
        new AkamaiFingerprint(
            List.of(new Http2Setting(3, 100)),
            0,
            List.of(
                new PriorityFrame(3, new Priority(false, 0, 201)),
                new PriorityFrame(5, new Priority(true, 3, 1))),
            List.of(":method", ":path", ":authority", ":scheme"));
    assertEquals("3:100|00|3:0:0:201,5:1:3:1|m,p,a,s", fp.value());
    assertThrows(IllegalArgumentException.class, () -> new Priority(false, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Priority(false, 0, 257));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AkamaiFingerprint(List.of(), 0, List.of(), List.of("method")));
  }
}
