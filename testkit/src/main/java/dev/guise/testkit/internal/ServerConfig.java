package dev.guise.testkit.internal;

import dev.guise.testkit.RequestHandler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Everything a {@link ServerRuntime} needs, fixed at build time.
 *
 * @param addresses the local addresses to listen on, all on the same port
 * @param port the port, or 0 to pick one that is free on every address
 * @param sslContext the server's TLS context (its certificate)
 * @param alpn the ALPN protocols offered, in preference order
 * @param handler answers requests
 * @param http2Settings the server's SETTINGS as {id, value} pairs, in the order sent
 * @param maxHeaderBytes the largest request head (HTTP/1.1 head, HTTP/2 header block) accepted
 * @param maxBodyBytes the largest request body accepted
 * @param handshakeTimeout how long the ClientHello and the handshake may take
 * @param readTimeout how long a connection may stay silent before the server closes it
 * @param recordedConnections how many connections' records are kept, the latest
 */
public record ServerConfig(
    List<InetAddress> addresses,
    int port,
    SSLContext sslContext,
    List<String> alpn,
    RequestHandler handler,
    List<int[]> http2Settings,
    int maxHeaderBytes,
    int maxBodyBytes,
    Duration handshakeTimeout,
    Duration readTimeout,
    int recordedConnections) {
  public ServerConfig {
    addresses = List.copyOf(addresses);
    alpn = List.copyOf(alpn);
    http2Settings = http2Settings.stream().map(int[]::clone).toList();
  }

  /** The value of server setting {@code id}, or {@code defaultValue} if not configured. */
  int http2Setting(int id, int defaultValue) {
    for (int[] s : http2Settings) {
      if (s[0] == id) {
        return s[1];
      }
    }
    return defaultValue;
  }
}
