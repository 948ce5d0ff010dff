package dev.guise.fingerprint;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.AkamaiFingerprint.Http2Setting;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a reference capture bundled under {@code dev/guise/fingerprint/profiles/}: the raw
 * ClientHello ({@code <name>.bin}) and the capture's decoded HTTP/2 side ({@code <name>.json}, the
 * unmodified file from the reference captures' browsers/ folder).
 *
 * <p>JSON numbers arrive as jackson-jr reads them (Integer when they fit, else Long or BigInteger;
 * Double for fractions), so they are read here through {@link Number}.
 */
final class CaptureLoader {
  private static final String DIR = "/dev/guise/fingerprint/profiles/";

  private final String name;
  private final Map<String, Object> json;
  private final ClientHello hello;

  private CaptureLoader(String name, Map<String, Object> json, ClientHello hello) {
    this.name = name;
    this.json = json;
    this.hello = hello;
  }

  public static CaptureLoader load(String captureName) {
    try {
      byte[] bin = read(captureName + ".bin");
      Map<String, Object> json =
          JSON.std.mapFrom(new String(read(captureName + ".json"), StandardCharsets.UTF_8));
      return new CaptureLoader(captureName, json, ClientHello.parse(bin));
    } catch (MalformedClientHelloException e) {
      throw new IllegalStateException("bundled capture " + captureName + " does not parse", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled capture " + captureName, e);
    }
  }

  /** The ClientHello of a bundled resumed-session capture ({@code <name>.bin} alone). */
  static ClientHello resumedHello(String captureName) {
    try {
      return ClientHello.parse(read(captureName + ".bin"));
    } catch (MalformedClientHelloException e) {
      throw new IllegalStateException("bundled capture " + captureName + " does not parse", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled capture " + captureName, e);
    }
  }

  private static byte[] read(String file) throws IOException {
    try (InputStream in = CaptureLoader.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IOException("missing resource " + DIR + file);
      }
      return in.readAllBytes();
    }
  }

  public ClientHello hello() {
    return hello;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> detail() {
    Map<String, Object> http2 = (Map<String, Object>) json.get("http2");
    if (http2 == null || http2.get("detail") == null) {
      throw new IllegalStateException("capture " + name + " carries no HTTP/2 data");
    }
    return (Map<String, Object>) http2.get("detail");
  }

  /** The Akamai fingerprint string the capture records (for cross-checking). */
  @SuppressWarnings("unchecked")
  public String recordedAkamai() {
    return (String) ((Map<String, Object>) json.get("http2")).get("akamai_fingerprint");
  }

  @SuppressWarnings("unchecked")
  public Http2Behaviour http2() {
    Map<String, Object> d = detail();
    List<Http2Setting> settings = new ArrayList<>();
    for (Map<String, Object> s : (List<Map<String, Object>>) d.get("settings")) {
      settings.add(new Http2Setting(toInt(s.get("id")), toLong(s.get("value"))));
    }
    Object wu = d.get("connection_window_update_before_first_headers");
    OptionalLong connectionWindowUpdate =
        wu == null ? OptionalLong.empty() : OptionalLong.of(toLong(wu));
    List<PriorityFrame> priorityFrames = new ArrayList<>();
    for (Map<String, Object> p :
        (List<Map<String, Object>>) d.get("priority_frames_before_first_headers")) {
      priorityFrames.add(new PriorityFrame(toInt(p.get("stream_id")), priority(p)));
    }
    int firstStream = toInt(d.get("first_headers_stream_id"));
    Map<String, Object> hp = (Map<String, Object>) d.get("first_headers_priority");
    Optional<Priority> headersPriority = hp == null ? Optional.empty() : Optional.of(priority(hp));
    // The stream WINDOW_UPDATE the browser sends after its request HEADERS, if any.
    OptionalLong streamWindowUpdate = OptionalLong.empty();
    Map<String, Object> http2 = (Map<String, Object>) json.get("http2");
    for (Map<String, Object> f : (List<Map<String, Object>>) http2.get("frames")) {
      if (toInt(f.get("type")) == 8 && toInt(f.get("stream_id")) == firstStream) {
        streamWindowUpdate = OptionalLong.of(toLong(f.get("increment")));
        break;
      }
    }
    return new Http2Behaviour(
        settings,
        connectionWindowUpdate,
        priorityFrames,
        headersPriority,
        firstStream,
        streamWindowUpdate,
        (List<String>) (List<?>) d.get("first_headers_pseudo_order"));
  }

  private static Priority priority(Map<String, Object> p) {
    return new Priority(
        (Boolean) p.get("exclusive"), toInt(p.get("depends_on")), toInt(p.get("weight")));
  }

  /** The first HEADERS' regular headers (pseudo-headers left out), in wire order. */
  @SuppressWarnings("unchecked")
  public List<Header> requestHeaders() {
    List<Header> out = new ArrayList<>();
    for (List<String> pair : (List<List<String>>) detail().get("first_headers")) {
      if (!pair.get(0).startsWith(":")) {
        out.add(new Header(pair.get(0), pair.get(1)));
      }
    }
    return out;
  }

  private static int toInt(Object o) {
    return Math.toIntExact(toLong(o));
  }

  /** A JSON integer, whichever Number type it was read as; a fraction is an error, not cut. */
  private static long toLong(Object o) {
    if (o instanceof Integer || o instanceof Long) {
      return ((Number) o).longValue();
    }
    throw new IllegalStateException("not a JSON integer within long range: " + o);
  }
}
