package dev.guise.benchmarks.clients;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TrustPolicy;
import dev.guise.benchmarks.server.ServerProcess;
import dev.guise.pool.ConnectionLease;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.config.ReaderThreads;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guise through its public API: {@link GuiseClient#send} over a {@link HotConnectionPool} with one
 * engine and profile. Requests name the host {@code localhost}; the IP is the URI's when it is an
 * IP literal (pinned with {@code connectionToIp}), else 127.0.0.1. The HTTP/2 reader threads are
 * the default kind unless the system property {@value #READER_THREADS} names one ({@code
 * -Dguise.bench.readerThreads=VIRTUAL} measures the other kind).
 */
final class GuiseSubject implements HttpSubject {
  static final String HOST = "localhost";
  static final String READER_THREADS = "guise.bench.readerThreads";
  private final HotConnectionPool pool;
  private final GuiseClient client;
  private final int port;
  private final Map<URI, HttpRequest> gets = new ConcurrentHashMap<>();

  GuiseSubject(
      String engine,
      String profile,
      boolean h2,
      ServerProcess server,
      int maxConnections,
      int totalConnections)
      throws IOException {
    this.port = server.port();
    PoolConfig.Builder config =
        PoolConfig.builder()
            .engine(engine)
            .profile(profile)
            .alpn(h2 ? List.of("h2", "http/1.1") : List.of("http/1.1"))
            .trust(TrustPolicy.onlyAnchors(List.of(server.ca())))
            .limits(
                l ->
                    l.withMaxConnectionsPerIp(maxConnections)
                        .withMaxConnectionsPerHost(totalConnections));
    String readers = System.getProperty(READER_THREADS);
    if (readers != null) {
      config.readerThreads(ReaderThreads.valueOf(readers));
    }
    this.pool = HotConnectionPool.create(config.build());
    pool.addIps(HOST, port, List.of(InetAddress.getByName("127.0.0.1")));
    this.client = new GuiseClient(pool);
  }

  HotConnectionPool pool() {
    return pool;
  }

  @Override
  public String get(URI uri) throws IOException {
    HttpRequest request = gets.computeIfAbsent(uri, u -> HttpRequest.get(hostUri(u).toString()));
    HttpResponse r = client.send(request, ip(uri));
    if (r.status() != 200 || r.body().length == 0) {
      throw new IOException("unexpected response " + r.status());
    }
    return r.protocol() == HttpProtocol.HTTP_2 ? "h2" : "http/1.1";
  }

  @Override
  public int download(URI uri, String coding) throws IOException {
    HttpRequest request = gets.computeIfAbsent(uri, u -> HttpRequest.get(hostUri(u).toString()));
    // The profile asks for "gzip, deflate, br, zstd" as Chrome does; the server sends the coding
    // the path names, and the client decodes it (ContentDecoders) as part of send.
    HttpResponse r = client.send(request, ip(uri));
    if (r.status() != 200) {
      throw new IOException("unexpected response " + r.status());
    }
    return r.body().length;
  }

  @Override
  public int head(URI uri) throws IOException {
    try (ConnectionLease lease = pool.connectionToIp(hostUri(uri), ip(uri))) {
      return lease.send(HttpRequest.newBuilder(hostUri(uri)).HEAD().build()).status();
    }
  }

  private URI hostUri(URI uri) {
    return URI.create("https://" + HOST + ":" + port + uri.getRawPath());
  }

  private static InetAddress ip(URI uri) throws IOException {
    String host = uri.getHost();
    return InetAddress.getByName(host.equals(HOST) ? "127.0.0.1" : host);
  }

  @Override
  public void close() {
    client.close();
    pool.close();
  }
}
