package dev.guise.cli.internal;

import dev.guise.cli.internal.FetchPlan.PlannedRequest;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.http.HttpRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A {@link FetchSession} straight over the pool: each request sent as planned, no redirects
 * followed, no cookies kept. Every request goes to {@code --connect-to}'s IP when one was given.
 */
final class PoolFetchSession implements FetchSession {
  private final GuiseClient client;
  private final Duration timeout;
  private final InetAddress connectTo; // null: the pool chooses among the host's IPs

  PoolFetchSession(GuiseClient client, Duration timeout, InetAddress connectTo) {
    this.client = client;
    this.timeout = timeout;
    this.connectTo = connectTo;
  }

  @Override
  public FetchResult send(PlannedRequest planned) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(planned.url())
            .timeout(timeout)
            .method(planned.method(), planned.bodyBytes().orElse(null));
    planned.headers().forEach(h -> b.header(h.name(), h.value()));
    return new FetchResult(client.send(b.build(), connectTo), planned.url(), 0);
  }

  @Override
  public void close() {
    // Nothing of its own: the pool and the client belong to the command.
  }
}
