package dev.guise.testkit;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as the {@link TestServer} received it, given to the {@link RequestHandler}.
 *
 * @param connection the connection it came on (with its ClientHello and frame log)
 * @param protocol HTTP/1.1 or HTTP/2
 * @param streamId the HTTP/2 stream id, 0 for HTTP/1.1
 * @param method the method
 * @param target the request target as sent (path and query)
 * @param authority {@code :authority} or the Host header, empty if neither was sent
 * @param headers the header fields in wire order; for HTTP/2 the pseudo-headers included, for
 *     HTTP/1.1 names as the client spelled them
 * @param body the request body (bounded by the server's maximum)
 */
public record TestRequest(
    ConnectionRecord connection,
    HttpProtocol protocol,
    int streamId,
    String method,
    String target,
    String authority,
    List<Header> headers,
    byte[] body) {
  public TestRequest {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(authority, "authority");
    headers = List.copyOf(headers);
    body = body.clone();
  }

  /** The path without the query string. */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The client's address. */
  public InetSocketAddress clientAddress() {
    return connection.clientAddress();
  }

  /** The server address the client connected to. */
  public InetSocketAddress localAddress() {
    return connection.localAddress();
  }

  /** The first header called {@code name} (ASCII case-insensitive). */
  public Optional<String> header(String name) {
    for (Header h : headers) {
      if (h.is(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
