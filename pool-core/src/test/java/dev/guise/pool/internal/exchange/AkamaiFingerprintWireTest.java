package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.testing.ReferenceCaptures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a server sees from Guise's HTTP/2 client equals what it saw from the real browser: the
 * Akamai fingerprint computed from the raw client frames, the frame sequence up to the SETTINGS
 * ACK, the first HEADERS' stream, flags and priority, and the full header list in order (values
 * included; only the User-Agent differs, where the capture's headless token is the desktop one in
 * the profile). Reference: the captures' {@code browsers/*.json}, from testing-support.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AkamaiFingerprintWireTest {

  @ParameterizedTest
  @CsvSource({"chrome-156, chromium1-conn03", "firefox-153, firefox1-conn06"})
  void serverSeesTheBrowsersHttp2(String profileName, String capture) throws Exception {
    Map<String, Object> http2 =
        object(
            JSON.std.mapFrom(ReferenceCaptures.text("browsers/" + capture + ".json")).get("http2"));
    Map<String, Object> detail = object(http2.get("detail"));
    RequestTemplate profile = RequestTemplate.of(BrowserProfiles.get(profileName));
    try (ScriptedH2Server server =
        new ScriptedH2Server(
            "h2",
            s -> {
              s.readPreface();
              ScriptedH2Server.Frame headers = s.readUntil(1);
              if (profile.http2().streamWindowUpdate().isPresent()) {
                s.readUntil(8);
              }
              s.settingsAndAck();
              s.respond(headers.stream(), 200, List.of(), "ok".getBytes(StandardCharsets.US_ASCII));
              s.awaitClientClose();
            })) {
      try (HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), profile)) {
        assertEquals(
            "ok",
            c.exchange(
                    HttpRequest.get("https://www.fp-oracle.test/"),
                    ExchangeLimits.DEFAULT,
                    TlsPeers.deadline(Duration.ofSeconds(10)))
                .bodyText());
      }
      server.close();
      List<ScriptedH2Server.Frame> frames = new ArrayList<>(server.received);

      // Akamai: SETTINGS in order | connection WINDOW_UPDATE | PRIORITY frames
      // | pseudo-header order
      StringBuilder akamai = new StringBuilder();
      ScriptedH2Server.Frame settings = frames.get(0);
      assertEquals(4, settings.type());
      for (int i = 0; i < settings.payload().length; i += 6) {
        int id = (settings.payload()[i] & 0xff) << 8 | (settings.payload()[i + 1] & 0xff);
        long value = settings.int32(i + 2) & 0xffffffffL;
        akamai.append(i == 0 ? "" : ";").append(id).append(':').append(value);
      }
      long windowUpdate = 0;
      List<String> priorityFrames = new ArrayList<>();
      ScriptedH2Server.Frame firstHeaders = null;
      List<String> sequence = new ArrayList<>();
      for (ScriptedH2Server.Frame f : frames) {
        if (f.type() == 4 && (f.flags() & 1) != 0) {
          break;
        }
        sequence.add(
            name(f.type()) + "(s=" + f.stream() + ",f=0x" + String.format("%02x", f.flags()) + ")");
        if (firstHeaders == null) {
          if (f.type() == 8 && f.stream() == 0) {
            windowUpdate = f.int32(0) & 0x7fffffffL;
          } else if (f.type() == 2) {
            priorityFrames.add(
                f.stream()
                    + ":"
                    + ((f.payload()[0] & 0x80) != 0 ? 1 : 0)
                    + ":"
                    + (f.int32(0) & 0x7fffffff)
                    + ":"
                    + ((f.payload()[4] & 0xff) + 1));
          } else if (f.type() == 1) {
            firstHeaders = f;
          }
        }
      }
      List<Header> sent =
          new HpackDecoder(4096, 1 << 20)
              .decode(
                  Arrays.copyOfRange(
                      firstHeaders.payload(),
                      (firstHeaders.flags() & 0x20) != 0 ? 5 : 0,
                      firstHeaders.payload().length));
      List<String> pseudo = new ArrayList<>();
      for (Header h : sent) {
        if (h.name().startsWith(":")) {
          pseudo.add(h.name().substring(1, 2));
        }
      }
      akamai
          .append('|')
          .append(windowUpdate == 0 ? "00" : Long.toString(windowUpdate))
          .append('|')
          .append(priorityFrames.isEmpty() ? "0" : String.join(",", priorityFrames))
          .append('|')
          .append(String.join(",", pseudo));
      assertEquals(http2.get("akamai_fingerprint"), akamai.toString());

      List<String> referenceSequence = strings(detail.get("frame_sequence"));
      assertEquals(
          referenceSequence.subList(0, referenceSequence.indexOf("SETTINGS(s=0,f=0x01)")),
          sequence);

      // Priority of the HEADERS frame: E bit, dependency, weight as captured.
      Map<String, Object> priority = object(detail.get("first_headers_priority"));
      boolean exclusive = (firstHeaders.payload()[0] & 0x80) != 0;
      assertEquals(priority.get("exclusive"), exclusive);
      assertEquals(
          ((Number) priority.get("depends_on")).intValue(), firstHeaders.int32(0) & 0x7fffffff);
      assertEquals(
          ((Number) priority.get("weight_wire")).intValue(), firstHeaders.payload()[4] & 0xff);

      List<String> referenceOrder = strings(detail.get("first_headers_header_order"));
      List<String> order = new ArrayList<>();
      for (Header h : sent) {
        order.add(h.name());
      }
      assertEquals(referenceOrder, order, "full header order");
      List<Header> referenceHeaders = new ArrayList<>();
      for (Object pair : (List<?>) detail.get("first_headers")) {
        List<String> nameAndValue = strings(pair);
        referenceHeaders.add(new Header(nameAndValue.get(0), nameAndValue.get(1)));
      }
      for (int i = 0; i < sent.size(); i++) {
        Header expected = referenceHeaders.get(i);
        if (expected.name().equals("user-agent")) {
          expected =
              new Header("user-agent", expected.value().replace("HeadlessChrome/", "Chrome/"));
        }
        assertEquals(expected, sent.get(i));
      }
    }
  }

  private static String name(int type) {
    return switch (type) {
      case 0 -> "DATA";
      case 1 -> "HEADERS";
      case 2 -> "PRIORITY";
      case 3 -> "RST_STREAM";
      case 4 -> "SETTINGS";
      case 6 -> "PING";
      case 7 -> "GOAWAY";
      case 8 -> "WINDOW_UPDATE";
      case 9 -> "CONTINUATION";
      default -> "UNKNOWN";
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object json) {
    return (Map<String, Object>) json;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object json) {
    return (List<String>) json;
  }
}
