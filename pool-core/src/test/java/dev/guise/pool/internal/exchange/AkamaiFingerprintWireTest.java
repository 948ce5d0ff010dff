package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a server sees from Guise's HTTP/2 client equals what it saw from the real browser: the
 * Akamai fingerprint computed from the raw client frames, the frame sequence up to the SETTINGS
 * ACK, the first HEADERS' stream, flags and priority, and the full header list in order (values
 * included; only the User-Agent differs, where the capture's headless token is the desktop one in
 * the profile). Reference: {@code shared/reference/browsers/*.json}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AkamaiFingerprintWireTest {

  @ParameterizedTest
  @CsvSource({"chrome-156, chromium1-conn03", "firefox-153, firefox1-conn06"})
  void serverSeesTheBrowsersHttp2(String profileName, String capture) throws Exception {
    String json =
        Files.readString(
            referenceDir().resolve("browsers/" + capture + ".json"), StandardCharsets.UTF_8);
    RequestTemplate profile = RequestTemplate.of(BrowserProfiles.get(profileName));
    try (ScriptedH2Server server = new ScriptedH2Server("h2", s -> {
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

      // Akamai: SETTINGS in order | connection WINDOW_UPDATE | PRIORITY frames | pseudo-header
      // order
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
            priorityFrames.add(f.stream() + ":" + ((f.payload()[0] & 0x80) != 0 ? 1 : 0) + ":"
                + (f.int32(0) & 0x7fffffff) + ":" + ((f.payload()[4] & 0xff) + 1));
          } else if (f.type() == 1) {
            firstHeaders = f;
          }
        }
      }
      List<Header> sent = new HpackDecoder(4096, 1 << 20).decode(
          Arrays.copyOfRange(firstHeaders.payload(), (firstHeaders.flags() & 0x20) != 0 ? 5 : 0,
              firstHeaders.payload().length));
      List<String> pseudo = new ArrayList<>();
      for (Header h : sent) {
        if (h.name().startsWith(":")) {
          pseudo.add(h.name().substring(1, 2));
        }
      }
      akamai.append('|').append(windowUpdate == 0 ? "00" : Long.toString(windowUpdate))
          .append('|').append(priorityFrames.isEmpty() ? "0" : String.join(",", priorityFrames))
          .append('|').append(String.join(",", pseudo));
      assertEquals(field(json, "akamai_fingerprint"), akamai.toString());

      List<String> referenceSequence = list(json, "frame_sequence");
      assertEquals(
          referenceSequence.subList(0, referenceSequence.indexOf("SETTINGS(s=0,f=0x01)")),
          sequence);

      // Priority of the HEADERS frame: E bit, dependency, weight as captured.
      String priority = block(json, "first_headers_priority");
      boolean exclusive = (firstHeaders.payload()[0] & 0x80) != 0;
      assertEquals(priority.contains("\"exclusive\": true"), exclusive);
      assertEquals(
          Integer.parseInt(field(priority, "depends_on")), firstHeaders.int32(0) & 0x7fffffff);
      assertEquals(
          Integer.parseInt(field(priority, "weight_wire")), firstHeaders.payload()[4] & 0xff);

      List<String> referenceOrder = list(json, "first_headers_header_order");
      List<String> order = new ArrayList<>();
      for (Header h : sent) {
        order.add(h.name());
      }
      assertEquals(referenceOrder, order, "full header order");
      List<Header> referenceHeaders = pairs(block(json, "\"first_headers\""));
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

  static Path referenceDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/reference");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "shared/reference not found above " + Path.of("").toAbsolutePath());
  }

  // Just enough JSON reading for the capture files' flat fields.

  private static String field(String json, String name) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(name) + "\": (?:\"([^\"]*)\"|([^,}\\s]*))")
            .matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name);
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  private static String block(String json, String key) {
    int at = json.indexOf(key.startsWith("\"") ? key + ":" : "\"" + key + "\":");
    int start = at + key.length();
    int depth = 0;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '{' || c == '[') {
        if (depth++ == 0) {
          start = i;
        }
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return json.substring(start, i + 1);
        }
      }
    }
    throw new IllegalStateException("no " + key);
  }

  private static List<String> list(String json, String key) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(block(json, key));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<Header> pairs(String block) {
    List<String> strings = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(block);
    while (m.find()) {
      strings.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    List<Header> out = new ArrayList<>();
    for (int i = 0; i + 1 < strings.size(); i += 2) {
      out.add(new Header(strings.get(i), strings.get(i + 1)));
    }
    return out;
  }
}
