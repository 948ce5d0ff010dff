package dev.guise.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Shared helpers: JDK clients that verify the server certificate, polling, file descriptors. */
final class Clients {
  private Clients() {}

  static HttpClient client(TestServer server, HttpClient.Version version) {
    return HttpClient.newBuilder()
        .sslContext(server.clientSslContext())
        .version(version)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static HttpResponse<String> get(HttpClient client, URI uri)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A TLS socket to {@code address} that verifies the server certificate and host (the address is
   * an IP SAN), offering exactly {@code alpn} (no ALPN extension at all when empty). Not yet
   * handshaken.
   */
  static SSLSocket tlsSocket(TestServer server, InetAddress address, String... alpn)
      throws IOException {
    SSLSocket s =
        (SSLSocket)
            server.clientSslContext().getSocketFactory().createSocket(address, server.port());
    s.setSoTimeout(10_000);
    SSLParameters params = s.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    params.setApplicationProtocols(alpn);
    s.setSSLParameters(params);
    return s;
  }

  /** Polls until {@code condition} holds; fails after 10 s (a bound, not a speed assertion). */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  static <T> T quietly(Callable<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Open file descriptors of this process (Linux), or -1 elsewhere. */
  static int openFileDescriptors() {
    Path fd = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (var s = Files.list(fd)) {
      return (int) s.count();
    } catch (IOException e) {
      return -1;
    }
  }
}
