package dev.guise.pool.internal;

import dev.guise.api.Fidelity;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection whose behaviour a test sets, for the pool's bookkeeping rules. It checks the
 * HttpConnection contract the pool relies on: an HTTP/1.1 connection refuses a second concurrent
 * exchange, and nothing is sent after close.
 */
public final class FakeHttpConnection implements HttpConnection {
  final TlsEndpoint endpoint;
  final HttpProtocol protocol;
  final String profile;
  volatile int maxStreams;
  volatile boolean usable = true;
  volatile boolean unexpectedInput;
  volatile boolean closed;
  volatile int status = 200;
  volatile int ticketsKept;
  final AtomicInteger active = new AtomicInteger();
  final AtomicInteger maxActiveSeen = new AtomicInteger();
  final AtomicLong exchanges = new AtomicLong();

  public FakeHttpConnection(
      TlsEndpoint endpoint, HttpProtocol protocol, String profile, int maxStreams) {
    this.endpoint = endpoint;
    this.protocol = protocol;
    this.profile = profile;
    this.maxStreams = maxStreams;
  }

  @Override
  public HttpProtocol protocol() {
    return protocol;
  }

  @Override
  public TlsEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public OptionalInt ticketsKept() {
    return OptionalInt.of(ticketsKept);
  }

  /** Sets how many tickets the connection reports it brought in. */
  public FakeHttpConnection withTicketsKept(int tickets) {
    this.ticketsKept = tickets;
    return this;
  }

  @Override
  public NegotiatedTls tls() {
    return new NegotiatedTls(
        "TLSv1.3",
        "TLS_AES_128_GCM_SHA256",
        Optional.of(protocol.alpn()),
        Optional.empty(),
        List.of(),
        profile,
        Fidelity.NONE);
  }

  @Override
  public int maxConcurrentStreams() {
    return protocol == HttpProtocol.HTTP_1_1 ? 1 : maxStreams;
  }

  @Override
  public int activeStreams() {
    return active.get();
  }

  @Override
  public boolean isUsable() {
    return usable && !closed;
  }

  @Override
  public boolean hasUnexpectedInput() {
    return unexpectedInput;
  }

  @Override
  public long exchangeCount() {
    return exchanges.get();
  }

  /** The pool's tests lease and release; streamed bodies are tested over real connections. */
  @Override
  public StreamedBody exchangeStreaming(
      HttpRequest request,
      ExchangeLimits limits,
      long deadlineNanos,
      Duration readTimeout,
      BodyListener ended) {
    throw new UnsupportedOperationException("the fake connection does not stream bodies");
  }

  @Override
  public HttpResponse exchange(HttpRequest request, ExchangeLimits limits, long deadlineNanos)
      throws IOException {
    if (closed) {
      throw new IOException("exchange on a closed connection");
    }
    int now = active.incrementAndGet();
    try {
      maxActiveSeen.accumulateAndGet(now, Math::max);
      if (protocol == HttpProtocol.HTTP_1_1 && now > 1) {
        throw new IllegalStateException("HTTP/1.1 connection shared by two exchanges");
      }
      if (now > maxConcurrentStreams()) {
        throw new IllegalStateException("more streams than the peer allows");
      }
      exchanges.incrementAndGet();
      Thread.onSpinWait();
      return new HttpResponse(
          status, List.of(), new byte[0], List.of(), protocol, endpoint, profile, false);
    } finally {
      active.decrementAndGet();
    }
  }

  @Override
  public Duration ping(Duration timeout) {
    return Duration.ofMillis(1);
  }

  @Override
  public void close() {
    closed = true;
  }
}
