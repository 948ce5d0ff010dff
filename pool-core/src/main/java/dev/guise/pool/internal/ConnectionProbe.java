package dev.guise.pool.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.ProbeRequest;
import dev.guise.api.ProbeResponse;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.ValidationTarget;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A pooled connection as a validator sees it. The pool holds a lease on it meanwhile. */
final class ConnectionProbe implements ValidationTarget {
  private final PooledConnection c;
  private final Clock clock;
  private final PoolConfig config;

  ConnectionProbe(PooledConnection c, Clock clock, PoolConfig config) {
    this.c = c;
    this.clock = clock;
    this.config = config;
  }

  @Override
  public TlsEndpoint endpoint() {
    return c.endpoint;
  }

  @Override
  public HttpProtocol protocol() {
    return c.http.protocol();
  }

  @Override
  public NegotiatedTls tls() {
    return c.http.tls();
  }

  @Override
  public Instant openedAt() {
    return Instant.ofEpochMilli(c.openedAt);
  }

  @Override
  public Instant lastUsedAt() {
    return Instant.ofEpochMilli(c.lastUsedAt);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Duration maxLifetime() {
    return config.timeouts().maxLifetime();
  }

  @Override
  public boolean isOpen() {
    return c.http.isUsable();
  }

  @Override
  public boolean hasUnexpectedInput() {
    return c.http.hasUnexpectedInput();
  }

  @Override
  public ProbeResponse exchange(ProbeRequest probe, Duration timeout) throws IOException {
    var builder =
        HttpRequest.newBuilder(URI.create("https://" + c.endpoint.authority() + probe.path()))
            .method(probe.method(), null)
            .timeout(timeout);
    probe.headers().forEach(h -> builder.header(h.name(), h.value()));
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse r =
        c.http.exchange(
            builder.build(),
            new ExchangeLimits(config.limits().maxHeaderListSize(), probe.maxBodyBytes(), true),
            deadline);
    byte[] body = r.body();
    long declared =
        r.header("content-length")
            .map(
                v -> {
                  try {
                    return Long.parseLong(v.trim());
                  } catch (NumberFormatException e) {
                    return -1L;
                  }
                })
            .orElse(-1L);
    // The connection layer keeps at most maxBodyBytes; a body that filled the cap was cut unless
    // the server declared exactly that length.
    boolean truncated =
        body.length >= probe.maxBodyBytes()
            && declared != body.length
            && !probe.method().equals("HEAD");
    return new ProbeResponse(r.status(), r.headers(), body, truncated);
  }

  @Override
  public Duration ping(Duration timeout) throws IOException {
    return c.http.ping(timeout);
  }
}
