package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Apache HttpClient 5 classic (blocking, HTTP/1.1 only) with its pooling connection manager. */
final class ApacheClassicSubject implements HttpSubject {
  private final CloseableHttpClient client;

  ApacheClassicSubject(ServerProcess server, int maxConnections, int totalConnections) {
    PoolingHttpClientConnectionManager manager =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setTlsSocketStrategy(
                ClientTlsStrategyBuilder.create()
                    .setSslContext(server.clientSslContext())
                    .buildClassic())
            .setMaxConnPerRoute(maxConnections)
            .setMaxConnTotal(Math.max(maxConnections, totalConnections))
            .build();
    // Its own decompression off: the Download benchmark decodes with the decoder all clients share.
    client = HttpClients.custom().setConnectionManager(manager).disableContentCompression().build();
  }

  @Override
  public String get(URI uri) throws IOException {
    return client.execute(
        new HttpGet(uri),
        r -> {
          byte[] body = EntityUtils.toByteArray(r.getEntity());
          if (r.getCode() != 200 || body.length == 0) {
            throw new IOException("unexpected response " + r.getCode());
          }
          return "http/1.1";
        });
  }

  @Override
  public int download(URI uri, String coding) throws IOException {
    HttpGet get = new HttpGet(uri);
    get.setHeader("Accept-Encoding", coding);
    return client.execute(
        get,
        r -> {
          if (r.getCode() != 200) {
            throw new IOException("unexpected response " + r.getCode());
          }
          Header encoding = r.getFirstHeader("Content-Encoding");
          try (InputStream body = r.getEntity().getContent()) {
            return Decoding.decodedLength(
                encoding == null ? null : encoding.getValue(), coding, body);
          }
        });
  }

  @Override
  public int head(URI uri) throws IOException {
    return client.execute(new HttpHead(uri), r -> r.getCode());
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
