package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.io.CloseMode;

/**
 * Apache HttpClient 5's HTTP/2 async client (one multiplexed connection per route), called
 * blockingly: {@code execute(...).get()}.
 */
final class ApacheH2Subject implements HttpSubject {
  private final CloseableHttpAsyncClient client;

  ApacheH2Subject(ServerProcess server, int maxConnections, int totalConnections) {
    client =
        H2AsyncClientBuilder.create()
            .setTlsStrategy(
                ClientTlsStrategyBuilder.create()
                    .setSslContext(server.clientSslContext())
                    .buildAsync())
            .build();
    client.start();
  }

  @Override
  public String get(URI uri) throws Exception {
    SimpleHttpResponse r =
        client.execute(SimpleRequestBuilder.get(uri).build(), null).get(30, TimeUnit.SECONDS);
    if (r.getCode() != 200 || r.getBodyBytes() == null || r.getBodyBytes().length == 0) {
      throw new IOException("unexpected response " + r.getCode());
    }
    return r.getVersion() != null && r.getVersion().greaterEquals(HttpVersion.HTTP_2)
        ? "h2"
        : "http/1.1";
  }

  @Override
  public int download(URI uri, String coding) throws Exception {
    SimpleHttpRequest get =
        SimpleRequestBuilder.get(uri).setHeader("Accept-Encoding", coding).build();
    SimpleHttpResponse r = client.execute(get, null).get(30, TimeUnit.SECONDS);
    if (r.getCode() != 200 || r.getBodyBytes() == null) {
      throw new IOException("unexpected response " + r.getCode());
    }
    Header encoding = r.getFirstHeader("Content-Encoding");
    return Decoding.decodedLength(
        encoding == null ? null : encoding.getValue(),
        coding,
        new ByteArrayInputStream(r.getBodyBytes()));
  }

  @Override
  public int head(URI uri) throws Exception {
    SimpleHttpRequest head = SimpleRequestBuilder.head(uri).build();
    return client.execute(head, null).get(30, TimeUnit.SECONDS).getCode();
  }

  @Override
  public void close() {
    client.close(CloseMode.GRACEFUL);
  }
}
