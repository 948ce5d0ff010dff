package dev.guise.benchmarks.clients;

import dev.guise.benchmarks.server.ServerProcess;
import dev.guise.fingerprint.BrowserProfiles;
import java.net.URI;
import java.util.List;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * One HTTP client under test, set up as its users would: certificate and host name verification on
 * (trusting the benchmark CA only), its own connection pool with keep-alive, HTTP/2 multiplexing
 * where asked. Thread-safe: benchmark threads share one subject.
 */
public interface HttpSubject extends AutoCloseable {
  /** Every subject, Guise's first. */
  List<String> ALL =
      List.of(
          "guise-jdk",
          "guise-bouncycastle",
          "guise-conscrypt",
          "okhttp",
          "jdk-httpclient",
          "apache",
          "jetty");

  /**
   * Sends {@code GET uri} (or HEAD), reads the whole body; returns the protocol it went over ("h2"
   * or "http/1.1").
   */
  String get(URI uri) throws Exception;

  /**
   * Sends {@code GET uri} asking for {@code coding} ("gzip" or "br"), reads the whole body and
   * decodes it with the decoder every client shares ({@code Decoding}; Guise's client decodes on
   * its own with the same one); returns the decoded length.
   */
  int download(URI uri, String coding) throws Exception;

  /** Sends {@code HEAD uri}; returns the status. */
  int head(URI uri) throws Exception;

  /** The heap objects to keep alive while measuring retained memory. */
  default Object root() {
    return this;
  }

  @Override
  void close() throws Exception;

  /**
   * A subject by name.
   *
   * @param h2 offer h2 (and http/1.1) when true, http/1.1 only when false
   * @param maxConnections the per-route (per-IP) connection limit, where the client has one
   * @param totalConnections the whole pool's limit, where the client has one
   */
  static HttpSubject create(
      String name, boolean h2, ServerProcess server, int maxConnections, int totalConnections)
      throws Exception {
    return switch (name) {
      case "guise-jdk" ->
          new GuiseSubject("jdk", "jdk-default", h2, server, maxConnections, totalConnections);
      case "guise-bouncycastle" ->
          new GuiseSubject(
              "bouncycastle", "chrome-156", h2, server, maxConnections, totalConnections);
      case "guise-conscrypt" ->
          new GuiseSubject("conscrypt", "chrome", h2, server, maxConnections, totalConnections);
      case "okhttp" -> new OkHttpSubject(h2, server, maxConnections, totalConnections);
      case "jdk-httpclient" -> new JdkHttpClientSubject(h2, server);
      case "apache" ->
          h2
              ? new ApacheH2Subject(server, maxConnections, totalConnections)
              : new ApacheClassicSubject(server, maxConnections, totalConnections);
      case "jetty" -> new JettySubject(h2, server, maxConnections);
      case "apache-browser-headers" -> {
        if (h2) {
          throw new IllegalArgumentException(name + " is HTTP/1.1 only");
        }
        yield new ApacheClassicSubject(
            server,
            maxConnections,
            totalConnections,
            BrowserProfiles.get("chrome-156").defaultHeaders().stream()
                .map(h -> new BasicHeader(h.name(), h.value()))
                .toList());
      }
      default -> throw new IllegalArgumentException("unknown subject " + name);
    };
  }
}
