package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/** OkHttp 4 over JDK TLS, synchronous calls (OkHttp runs them on the caller's thread). */
final class OkHttpSubject implements HttpSubject {
  private final OkHttpClient client;

  OkHttpSubject(boolean h2, ServerProcess server, int maxConnections, int totalConnections) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(maxConnections);
    dispatcher.setMaxRequests(Math.max(64, totalConnections));
    client =
        new OkHttpClient.Builder()
            .sslSocketFactory(server.clientSslContext().getSocketFactory(), server.trustManager())
            .protocols(
                h2 ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
            .connectionPool(
                new ConnectionPool(
                    Math.max(maxConnections, totalConnections), 10, TimeUnit.MINUTES))
            .dispatcher(dispatcher)
            .build();
  }

  @Override
  public String get(URI uri) throws IOException {
    try (Response r = client.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
      byte[] body = r.body().bytes();
      if (r.code() != 200 || body.length == 0) {
        throw new IOException("unexpected response " + r.code());
      }
      return r.protocol() == Protocol.HTTP_2 ? "h2" : "http/1.1";
    }
  }

  @Override
  public int download(URI uri, String coding) throws IOException {
    // An Accept-Encoding of our own turns OkHttp's transparent gzip off: the body arrives raw.
    Request request =
        new Request.Builder().url(uri.toString()).header("Accept-Encoding", coding).build();
    try (Response r = client.newCall(request).execute()) {
      if (r.code() != 200) {
        throw new IOException("unexpected response " + r.code());
      }
      return Decoding.decodedLength(r.header("Content-Encoding"), coding, r.body().byteStream());
    }
  }

  @Override
  public int head(URI uri) throws IOException {
    try (Response r =
        client.newCall(new Request.Builder().url(uri.toString()).head().build()).execute()) {
      return r.code();
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
