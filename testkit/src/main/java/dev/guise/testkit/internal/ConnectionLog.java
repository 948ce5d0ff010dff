package dev.guise.testkit.internal;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.MalformedClientHelloException;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.Http2FrameRecord;
import dev.guise.testkit.Http2HeadersRecord;
import dev.guise.testkit.RequestRecord;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server's side of a {@link ConnectionRecord}: written by the connection's threads, read by
 * tests. One monitor guards everything; the record is small and contention is negligible.
 */
public final class ConnectionLog implements ConnectionRecord {
  /** Frames kept per connection; a client that sends more is logged up to here. */
  private static final int MAX_FRAMES = 10_000;

  private static final int MAX_REQUESTS = 10_000;

  private final long id;
  private final Instant acceptedAt = Instant.now();
  private final InetSocketAddress client;
  private final InetSocketAddress local;

  private byte[] helloBytes;
  private ClientHello hello;
  private Ja3 ja3;
  private Ja4 ja4;
  private String tlsVersion;
  private String cipherSuite;
  private String alpn;
  private HttpProtocol protocol;
  private final List<Http2FrameRecord> frames = new ArrayList<>();
  private List<AkamaiFingerprint.Http2Setting> firstSettings;
  private long connectionWindowUpdate = -1;
  private final List<AkamaiFingerprint.PriorityFrame> priorityFrames = new ArrayList<>();
  private Http2HeadersRecord firstHeaders;
  private AkamaiFingerprint akamai;
  private final List<RequestRecord> requests = new ArrayList<>();
  private String failure;
  private boolean closed;

  ConnectionLog(long id, InetSocketAddress client, InetSocketAddress local) {
    this.id = id;
    this.client = client;
    this.local = local;
  }

  synchronized void clientHello(byte[] bytes) {
    helloBytes = bytes.clone();
    try {
      hello = ClientHello.parse(bytes);
      ja3 = Ja3.of(hello);
      ja4 = Ja4.of(hello);
    } catch (MalformedClientHelloException e) {
      failure = "malformed ClientHello: " + e.getMessage();
    }
  }

  synchronized void handshake(String version, String cipher, String negotiatedAlpn) {
    tlsVersion = version;
    cipherSuite = cipher;
    alpn = negotiatedAlpn == null || negotiatedAlpn.isEmpty() ? null : negotiatedAlpn;
    protocol = "h2".equals(alpn) ? HttpProtocol.HTTP_2 : HttpProtocol.HTTP_1_1;
  }

  synchronized void frame(Http2FrameRecord frame) {
    if (frames.size() < MAX_FRAMES) {
      frames.add(frame);
    }
  }

  synchronized void settings(List<AkamaiFingerprint.Http2Setting> settings) {
    if (firstSettings == null) {
      firstSettings = List.copyOf(settings);
    }
  }

  synchronized void windowUpdate(int streamId, long increment) {
    if (streamId == 0 && firstHeaders == null && connectionWindowUpdate < 0) {
      connectionWindowUpdate = increment;
    }
  }

  synchronized void priority(AkamaiFingerprint.PriorityFrame frame) {
    if (firstHeaders == null) {
      priorityFrames.add(frame);
    }
  }

  synchronized void headers(Http2HeadersRecord headers) {
    if (firstHeaders != null) {
      return;
    }
    firstHeaders = headers;
    List<String> pseudo = new ArrayList<>();
    for (Header h : headers.headers()) {
      if (h.name().startsWith(":")) {
        pseudo.add(h.name());
      }
    }
    try {
      akamai =
          new AkamaiFingerprint(
              firstSettings == null ? List.of() : firstSettings,
              Math.max(0, connectionWindowUpdate),
              priorityFrames,
              pseudo);
    } catch (IllegalArgumentException e) {
      failure = "cannot compute the Akamai fingerprint: " + e.getMessage();
    }
  }

  synchronized void request(RequestRecord request) {
    if (requests.size() < MAX_REQUESTS) {
      requests.add(request);
    }
  }

  synchronized void failure(String why) {
    if (failure == null) {
      failure = why;
    }
  }

  synchronized void markClosed() {
    closed = true;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public Instant acceptedAt() {
    return acceptedAt;
  }

  @Override
  public InetSocketAddress clientAddress() {
    return client;
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public synchronized Optional<byte[]> clientHelloBytes() {
    return Optional.ofNullable(helloBytes).map(byte[]::clone);
  }

  @Override
  public synchronized Optional<ClientHello> clientHello() {
    return Optional.ofNullable(hello);
  }

  @Override
  public synchronized Optional<Ja3> ja3() {
    return Optional.ofNullable(ja3);
  }

  @Override
  public synchronized Optional<Ja4> ja4() {
    return Optional.ofNullable(ja4);
  }

  @Override
  public synchronized Optional<String> tlsVersion() {
    return Optional.ofNullable(tlsVersion);
  }

  @Override
  public synchronized Optional<String> cipherSuite() {
    return Optional.ofNullable(cipherSuite);
  }

  @Override
  public synchronized Optional<String> alpn() {
    return Optional.ofNullable(alpn);
  }

  @Override
  public synchronized Optional<HttpProtocol> protocol() {
    return Optional.ofNullable(protocol);
  }

  @Override
  public synchronized List<Http2FrameRecord> http2Frames() {
    return List.copyOf(frames);
  }

  @Override
  public synchronized List<AkamaiFingerprint.Http2Setting> http2Settings() {
    return firstSettings == null ? List.of() : firstSettings;
  }

  @Override
  public synchronized OptionalLong http2ConnectionWindowUpdate() {
    return connectionWindowUpdate < 0
        ? OptionalLong.empty()
        : OptionalLong.of(connectionWindowUpdate);
  }

  @Override
  public synchronized List<AkamaiFingerprint.PriorityFrame> http2PriorityFrames() {
    return List.copyOf(priorityFrames);
  }

  @Override
  public synchronized Optional<Http2HeadersRecord> http2FirstHeaders() {
    return Optional.ofNullable(firstHeaders);
  }

  @Override
  public synchronized Optional<AkamaiFingerprint> akamaiFingerprint() {
    return Optional.ofNullable(akamai);
  }

  @Override
  public synchronized List<RequestRecord> requests() {
    return List.copyOf(requests);
  }

  @Override
  public synchronized Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public String toString() {
    return "connection #" + id + " " + client + " -> " + local;
  }
}
