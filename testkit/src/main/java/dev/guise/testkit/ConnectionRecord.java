package dev.guise.testkit;

import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the client of one accepted connection sent, filled in as the connection progresses.
 *
 * <p>Thread-safe: the server writes while tests read; each accessor returns a snapshot. Parts that
 * have not happened yet are empty (for instance no ClientHello if the client sent something else,
 * no frames for HTTP/1.1).
 */
public interface ConnectionRecord {
  /** Unique and increasing within a server. */
  long id();

  /** When the TCP connection was accepted. */
  Instant acceptedAt();

  /** The client's socket address. */
  InetSocketAddress clientAddress();

  /** The server address and port the client connected to. */
  InetSocketAddress localAddress();

  /** The exact bytes of the TLS record(s) that carried the ClientHello. */
  Optional<byte[]> clientHelloBytes();

  /** The parsed ClientHello. */
  Optional<ClientHello> clientHello();

  /** JA3 and JA3N of the ClientHello. */
  Optional<Ja3> ja3();

  /** JA4, JA4_r, JA4_o, JA4_ro of the ClientHello (TCP). */
  Optional<Ja4> ja4();

  /** The negotiated TLS version, e.g. {@code TLSv1.3}, once the handshake completed. */
  Optional<String> tlsVersion();

  /** The negotiated cipher suite, once the handshake completed. */
  Optional<String> cipherSuite();

  /** The negotiated ALPN protocol, empty when none was negotiated. */
  Optional<String> alpn();

  /** The HTTP version spoken, once the handshake completed. */
  Optional<HttpProtocol> protocol();

  /** Every HTTP/2 frame the client sent, in order. */
  List<Http2FrameRecord> http2Frames();

  /** The settings of the client's first SETTINGS frame, in wire order. */
  List<AkamaiFingerprint.Http2Setting> http2Settings();

  /** The connection-level WINDOW_UPDATE increment sent before the first HEADERS, if any. */
  OptionalLong http2ConnectionWindowUpdate();

  /** The PRIORITY frames sent before the first HEADERS. */
  List<AkamaiFingerprint.PriorityFrame> http2PriorityFrames();

  /** The first HEADERS frame. */
  Optional<Http2HeadersRecord> http2FirstHeaders();

  /** The Akamai HTTP/2 fingerprint, once the first HEADERS arrived. */
  Optional<AkamaiFingerprint> akamaiFingerprint();

  /** Every request head received, in arrival order. */
  List<RequestRecord> requests();

  /** Why the connection failed (bad ClientHello, handshake failure, protocol error), if it did. */
  Optional<String> failure();

  /** Whether the server has closed the connection. */
  boolean closed();
}
