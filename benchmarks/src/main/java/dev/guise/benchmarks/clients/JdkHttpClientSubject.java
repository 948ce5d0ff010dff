package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK's {@link HttpClient} (blocking {@code send}), its default executor and pool. */
final class JdkHttpClientSubject implements HttpSubject {
  private final HttpClient client;

  JdkHttpClientSubject(boolean h2, ServerProcess server) {
    client =
        HttpClient.newBuilder()
            .sslContext(server.clientSslContext())
            .version(h2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  @Override
  public String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200 || r.body().length == 0) {
      throw new IOException("unexpected response " + r.statusCode());
    }
    return r.version() == HttpClient.Version.HTTP_2 ? "h2" : "http/1.1";
  }

  @Override
  public int download(URI uri, String coding) throws IOException, InterruptedException {
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Accept-Encoding", coding)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() != 200) {
        throw new IOException("unexpected response " + r.statusCode());
      }
      return Decoding.decodedLength(
          r.headers().firstValue("content-encoding").orElse(null), coding, body);
    }
  }

  @Override
  public int head(URI uri) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Override
  public void close() {
    client.shutdownNow();
  }
}
