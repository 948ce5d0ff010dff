package dev.guise.testkit.internal;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The JSON documents of the default routes. The shape is documented on {@code TestServer}. */
public final class FingerprintJson {
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
    Json j = new Json().beginObject();
    j.field("ip", c.clientAddress().getAddress().getHostAddress());
    j.field("port", c.clientAddress().getPort());
    j.field("server_ip", c.localAddress().getAddress().getHostAddress());
    j.field("server_port", c.localAddress().getPort());
    j.field("connection_id", c.id());
    j.field("http_version", protocol == null ? null : protocol.alpn());
    j.field("method", method);
    j.field("path", path);
    j.name("tls");
    tls(j, c);
    if (protocol == HttpProtocol.HTTP_2) {
      j.name("http2");
      http2(j, c, streamId, headers);
    } else {
      j.name("http1");
      http1(j, c);
    }
    return j.endObject().toString();
  }

  /** What {@code /headers} answers: the request's header list in wire order. */
  public static String headers(TestRequest request) {
    Json j = new Json().beginObject();
    j.field("http_version", request.protocol().alpn());
    j.name("headers");
    headerList(j, request.headers());
    return j.endObject().toString();
  }

  private static void tls(Json j, ConnectionRecord c) {
    j.beginObject();
    j.field("version", c.tlsVersion().orElse(null));
    j.field("cipher", c.cipherSuite().orElse(null));
    j.field("alpn", c.alpn().orElse(null));
    Optional<ClientHello> hello = c.clientHello();
    if (hello.isPresent()) {
      ClientHello h = hello.get();
      Ja3 ja3 = c.ja3().orElseThrow();
      Ja4 ja4 = c.ja4().orElseThrow();
      j.field("sni", h.serverName().orElse(null));
      j.field("ja3", ja3.string());
      j.field("ja3_hash", ja3.hash());
      j.field("ja3n", ja3.normalized());
      j.field("ja3n_hash", ja3.normalizedHash());
      j.field("ja4", ja4.ja4());
      j.field("ja4_r", ja4.ja4r());
      j.field("ja4_o", ja4.ja4o());
      j.field("ja4_ro", ja4.ja4ro());
      j.name("ciphers");
      ints(j, h.cipherSuites());
      j.name("extensions");
      ints(j, h.extensionTypes());
      j.name("supported_groups");
      ints(j, h.supportedGroups());
      j.name("signature_algorithms");
      ints(j, h.signatureAlgorithms());
      j.name("supported_versions");
      ints(j, h.supportedVersions());
      j.name("alpn_offered").beginArray();
      for (String a : h.alpn()) {
        j.value(a);
      }
      j.endArray();
    }
    j.field("client_hello_hex", c.clientHelloBytes().map(b -> HexFormat.of().formatHex(b)).orElse(null));
    j.endObject();
  }

  private static void http2(Json j, ConnectionRecord c, Integer streamId, List<Header> headers) {
    j.beginObject();
    j.field("akamai_fingerprint", c.akamaiFingerprint().map(AkamaiFingerprint::value).orElse(null));
    j.name("settings").beginArray();
    for (AkamaiFingerprint.Http2Setting s : c.http2Settings()) {
      j.beginObject().field("id", s.id()).field("value", s.value()).endObject();
    }
    j.endArray();
    j.name("window_update");
    if (c.http2ConnectionWindowUpdate().isPresent()) {
      j.value(c.http2ConnectionWindowUpdate().getAsLong());
    } else {
      j.nullValue();
    }
    j.name("priority").beginArray();
    for (AkamaiFingerprint.PriorityFrame f : c.http2PriorityFrames()) {
      j.beginObject().field("stream_id", f.streamId());
      priorityFields(j, f.priority());
      j.endObject();
    }
    j.endArray();
    Optional<Http2HeadersRecord> first = c.http2FirstHeaders();
    j.name("first_headers");
    if (first.isPresent()) {
      Http2HeadersRecord h = first.get();
      j.beginObject().field("stream_id", h.streamId()).field("flags", h.flags());
      j.name("priority");
      if (h.priority().isPresent()) {
        j.beginObject();
        priorityFields(j, h.priority().get());
        j.endObject();
      } else {
        j.nullValue();
      }
      j.endObject();
    } else {
      j.nullValue();
    }
    j.name("stream_id");
    if (streamId == null) {
      j.nullValue();
    } else {
      j.value(streamId);
    }
    j.name("headers");
    headerList(j, headers);
    j.name("frames").beginArray();
    for (Http2FrameRecord f : c.http2Frames()) {
      j.beginObject()
          .field("type", f.typeName())
          .field("flags", f.flags())
          .field("stream_id", f.streamId())
          .field("length", f.length())
          .field("detail", f.detail())
          .endObject();
    }
    j.endArray();
    j.endObject();
  }

  private static void http1(Json j, ConnectionRecord c) {
    j.beginObject();
    List<RequestRecord> requests = c.requests();
    RequestRecord last = requests.isEmpty() ? null : requests.get(requests.size() - 1);
    j.field("request_line", last == null ? null : last.requestLine());
    j.name("headers");
    headerList(j, last == null ? List.of() : last.headers());
    j.endObject();
  }

  private static void priorityFields(Json j, AkamaiFingerprint.Priority p) {
    j.field("exclusive", p.exclusive()).field("depends_on", p.dependsOn()).field("weight", p.weight());
  }

  private static void headerList(Json j, List<Header> headers) {
    j.beginArray();
    for (Header h : headers) {
      j.beginArray().value(h.name()).value(h.value()).endArray();
    }
    j.endArray();
  }

  private static void ints(Json j, List<Integer> values) {
    j.beginArray();
    for (int v : values) {
      j.value(v);
    }
    j.endArray();
  }
}
