package dev.guise.testkit.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.Http2FrameRecord;
import dev.guise.testkit.Http2HeadersRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON documents of the default routes. The shape is documented on {@code TestServer}.
 *
 * <p>Each document is built as ordered maps and lists and written by jackson-jr; absent values are
 * written as {@code null}, not left out, so a client sees every field on every connection.
 */
public final class FingerprintJson {
  private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

  private FingerprintJson() {}

  /** What {@code /fingerprint} answers for {@code request}. */
  public static String fingerprint(TestRequest request) {
    return document(
        request.connection(),
        request.protocol(),
        request.method(),
        request.target(),
        request.streamId(),
        request.headers());
  }

  /**
   * The {@code /fingerprint} document for a connection as recorded, without a request in hand: the
   * request fields ({@code method}, {@code path}, HTTP/2 {@code stream_id} and {@code headers})
   * describe the connection's latest recorded request, {@code null} (headers empty) if it had none.
   * {@code http_version} is null when no protocol was agreed (the handshake did not complete).
   */
  public static String fingerprint(ConnectionRecord c) {
    List<RequestRecord> requests = c.requests();
    RequestRecord last = requests.isEmpty() ? null : requests.get(requests.size() - 1);
    String method = null;
    String path = null;
    Integer streamId = null;
    List<Header> headers = last == null ? List.of() : last.headers();
    if (last != null && last.protocol() == HttpProtocol.HTTP_2) {
      streamId = last.streamId();
      for (Header h : headers) {
        if (h.name().equals(":method")) {
          method = h.value();
        } else if (h.name().equals(":path")) {
          path = h.value();
        }
      }
    } else if (last != null) {
      // "METHOD target version", single spaces: the parser accepted nothing else.
      String[] parts = last.requestLine().split(" ", 3);
      method = parts[0];
      path = parts.length > 1 ? parts[1] : null;
    }
    return document(c, c.protocol().orElse(null), method, path, streamId, headers);
  }

  private static String document(
      ConnectionRecord c,
      HttpProtocol protocol,
      String method,
      String path,
      Integer streamId,
      List<Header> headers) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("ip", c.clientAddress().getAddress().getHostAddress());
    j.put("port", c.clientAddress().getPort());
    j.put("server_ip", c.localAddress().getAddress().getHostAddress());
    j.put("server_port", c.localAddress().getPort());
    j.put("connection_id", c.id());
    j.put("http_version", protocol == null ? null : protocol.alpn());
    j.put("method", method);
    j.put("path", path);
    j.put("tls", tls(c));
    if (protocol == HttpProtocol.HTTP_2) {
      j.put("http2", http2(c, streamId, headers));
    } else {
      j.put("http1", http1(c));
    }
    return write(j);
  }

  /** What {@code /headers} answers: the request's header list in wire order. */
  public static String headers(TestRequest request) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("http_version", request.protocol().alpn());
    j.put("headers", headerList(request.headers()));
    return write(j);
  }

  private static String write(Map<String, Object> document) {
    try {
      return WRITER.asString(document);
    } catch (IOException e) {
      // Maps, lists, strings and numbers only: nothing here can fail to write.
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> tls(ConnectionRecord c) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("version", c.tlsVersion().orElse(null));
    j.put("cipher", c.cipherSuite().orElse(null));
    j.put("alpn", c.alpn().orElse(null));
    Optional<ClientHello> hello = c.clientHello();
    if (hello.isPresent()) {
      ClientHello h = hello.get();
      Ja3 ja3 = c.ja3().orElseThrow();
      Ja4 ja4 = c.ja4().orElseThrow();
      j.put("sni", h.serverName().orElse(null));
      j.put("ja3", ja3.string());
      j.put("ja3_hash", ja3.hash());
      j.put("ja3n", ja3.normalized());
      j.put("ja3n_hash", ja3.normalizedHash());
      j.put("ja4", ja4.ja4());
      j.put("ja4_r", ja4.ja4r());
      j.put("ja4_o", ja4.ja4o());
      j.put("ja4_ro", ja4.ja4ro());
      j.put("ciphers", h.cipherSuites());
      j.put("extensions", h.extensionTypes());
      j.put("supported_groups", h.supportedGroups());
      j.put("signature_algorithms", h.signatureAlgorithms());
      j.put("supported_versions", h.supportedVersions());
      j.put("alpn_offered", h.alpn());
    }
    j.put(
        "client_hello_hex",
        c.clientHelloBytes().map(b -> HexFormat.of().formatHex(b)).orElse(null));
    return j;
  }

  private static Map<String, Object> http2(
      ConnectionRecord c, Integer streamId, List<Header> headers) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("akamai_fingerprint", c.akamaiFingerprint().map(AkamaiFingerprint::value).orElse(null));
    List<Object> settings = new ArrayList<>();
    for (AkamaiFingerprint.Http2Setting s : c.http2Settings()) {
      Map<String, Object> setting = new LinkedHashMap<>();
      setting.put("id", s.id());
      setting.put("value", s.value());
      settings.add(setting);
    }
    j.put("settings", settings);
    j.put(
        "window_update",
        c.http2ConnectionWindowUpdate().isPresent()
            ? c.http2ConnectionWindowUpdate().getAsLong()
            : null);
    List<Object> priority = new ArrayList<>();
    for (AkamaiFingerprint.PriorityFrame f : c.http2PriorityFrames()) {
      Map<String, Object> frame = new LinkedHashMap<>();
      frame.put("stream_id", f.streamId());
      priorityFields(frame, f.priority());
      priority.add(frame);
    }
    j.put("priority", priority);
    Optional<Http2HeadersRecord> first = c.http2FirstHeaders();
    Map<String, Object> firstHeaders = null;
    if (first.isPresent()) {
      Http2HeadersRecord h = first.get();
      firstHeaders = new LinkedHashMap<>();
      firstHeaders.put("stream_id", h.streamId());
      firstHeaders.put("flags", h.flags());
      Map<String, Object> headersPriority = null;
      if (h.priority().isPresent()) {
        headersPriority = new LinkedHashMap<>();
        priorityFields(headersPriority, h.priority().get());
      }
      firstHeaders.put("priority", headersPriority);
    }
    j.put("first_headers", firstHeaders);
    j.put("stream_id", streamId);
    j.put("headers", headerList(headers));
    List<Object> frames = new ArrayList<>();
    for (Http2FrameRecord f : c.http2Frames()) {
      Map<String, Object> frame = new LinkedHashMap<>();
      frame.put("type", f.typeName());
      frame.put("flags", f.flags());
      frame.put("stream_id", f.streamId());
      frame.put("length", f.length());
      frame.put("detail", f.detail());
      frames.add(frame);
    }
    j.put("frames", frames);
    return j;
  }

  private static Map<String, Object> http1(ConnectionRecord c) {
    Map<String, Object> j = new LinkedHashMap<>();
    List<RequestRecord> requests = c.requests();
    RequestRecord last = requests.isEmpty() ? null : requests.get(requests.size() - 1);
    j.put("request_line", last == null ? null : last.requestLine());
    j.put("headers", headerList(last == null ? List.of() : last.headers()));
    return j;
  }

  private static void priorityFields(Map<String, Object> j, AkamaiFingerprint.Priority p) {
    j.put("exclusive", p.exclusive());
    j.put("depends_on", p.dependsOn());
    j.put("weight", p.weight());
  }

  /** Headers as [name, value] pairs: a list keeps the wire order and repeated names. */
  private static List<List<String>> headerList(List<Header> headers) {
    List<List<String>> out = new ArrayList<>();
    for (Header h : headers) {
      out.add(List.of(h.name(), h.value()));
    }
    return out;
  }
}
