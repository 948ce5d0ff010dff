package dev.guise.api;

import java.util.List;
import java.util.Objects;

/**
 * A request a validator sends on a pooled connection.
 *
 * @param method {@code HEAD} or {@code GET}
 * @param path the request target, starting with {@code /}
 * @param headers headers merged into the connection profile's defaults (a value replaces the
 *     default in place)
 * @param maxBodyBytes the most body bytes to keep in the {@link ProbeResponse}
 */
public record ProbeRequest(String method, String path, List<Header> headers, int maxBodyBytes) {
  public ProbeRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    if (!method.equals("HEAD") && !method.equals("GET")) {
      throw new IllegalArgumentException("validators send HEAD or GET, not " + method);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
    }
  }

  public static ProbeRequest head(String path) {
    return new ProbeRequest("HEAD", path, List.of(), 0);
  }

  public static ProbeRequest get(String path, int maxBodyBytes) {
    return new ProbeRequest("GET", path, List.of(), maxBodyBytes);
  }
}
