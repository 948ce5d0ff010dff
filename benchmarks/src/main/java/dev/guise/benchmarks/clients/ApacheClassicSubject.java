package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Apache HttpClient 5 classic (blocking, HTTP/1.1 only) with its pooling connection manager.
 *
 * <p>With {@code extraHeaders} (the diagnostic subject {@code apache-browser-headers}, not one of
 * the compared peers) every GET also carries a browser's default header list, as Guise's do: it
 * shows what those headers cost the run, the server's share included, apart from the client.
 */
final class ApacheClassicSubject implements HttpSubject {
  private final CloseableHttpClient client;
  private final List<Header> extraHeaders;

  ApacheClassicSubject(ServerProcess server, int maxConnections, int totalConnections) {
    this(server, maxConnections, totalConnections, List.of());
  }

  ApacheClassicSubject(
      ServerProcess server,
      int maxConnections,
      int totalConnections,
      List<? extends Header> extraHeaders) {
    this.extraHeaders = List.copyOf(extraHeaders);
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
    HttpGet get = new HttpGet(uri);
    for (Header h : extraHeaders) {
      get.addHeader(h);
    }
    return client.execute(
        get,
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
