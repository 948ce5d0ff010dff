package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty 12's HttpClient (blocking {@code send}) over HTTP2Client or its HTTP/1.1 transport. */
final class JettySubject implements HttpSubject {
  private final HttpClient client;

  JettySubject(boolean h2, ServerProcess server, int maxConnections) throws Exception {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setTrustStore(server.trustStore());
    tls.setEndpointIdentificationAlgorithm("HTTPS");
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    HttpClientTransport transport =
        h2
            ? new HttpClientTransportOverHTTP2(new HTTP2Client(connector))
            : new HttpClientTransportOverHTTP(connector);
    client = new HttpClient(transport);
    client.setMaxConnectionsPerDestination(maxConnections);
    client.setMaxRequestsQueuedPerDestination(4096);
    client.start();
    // Its own gzip decoding off (start() installs it): the Download benchmark decodes with the
    // decoder all clients share.
    client.getContentDecoderFactories().clear();
  }

  @Override
  public String get(URI uri) throws Exception {
    ContentResponse r = client.newRequest(uri).timeout(30, TimeUnit.SECONDS).send();
    if (r.getStatus() != 200 || r.getContent().length == 0) {
      throw new IOException("unexpected response " + r.getStatus());
    }
    return r.getVersion() == HttpVersion.HTTP_2 ? "h2" : "http/1.1";
  }

  @Override
  public int download(URI uri, String coding) throws Exception {
    ContentResponse r =
        client
            .newRequest(uri)
            .headers(h -> h.put(HttpHeader.ACCEPT_ENCODING, coding))
            .timeout(30, TimeUnit.SECONDS)
            .send();
    if (r.getStatus() != 200) {
      throw new IOException("unexpected response " + r.getStatus());
    }
    return Decoding.decodedLength(
        r.getHeaders().get(HttpHeader.CONTENT_ENCODING),
        coding,
        new ByteArrayInputStream(r.getContent()));
  }

  @Override
  public int head(URI uri) throws Exception {
    return client
        .newRequest(uri)
        .method(HttpMethod.HEAD)
        .timeout(30, TimeUnit.SECONDS)
        .send()
        .getStatus();
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
