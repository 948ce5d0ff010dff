package dev.guise.testkit;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link Fault} applies: one server address or all of them, and a path prefix (empty: all
 * paths). A path prefix matches the request path (without query) when it equals it or the path
 * starts with it.
 *
 * @param address the server's local address the fault is limited to, or empty for every address
 * @param pathPrefix the path prefix, or {@code ""} for every path
 */
public record FaultScope(Optional<InetAddress> address, String pathPrefix) {
  public FaultScope {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(pathPrefix, "pathPrefix");
  }

  /** Every address, every path. */
  public static FaultScope everywhere() {
    return new FaultScope(Optional.empty(), "");
  }

  /** One server address, every path. */
  public static FaultScope address(InetAddress address) {
    return new FaultScope(Optional.of(address), "");
  }

  /** Every address, paths starting with {@code prefix}. */
  public static FaultScope path(String prefix) {
    return new FaultScope(Optional.empty(), prefix);
  }

  /** One address and a path prefix. */
  public static FaultScope of(InetAddress address, String prefix) {
    return new FaultScope(Optional.of(address), prefix);
  }

  /**
   * Whether a request to {@code local} for {@code path} (null: a connection, no path) is in scope.
   */
  public boolean matches(InetAddress local, String path) {
    if (address.isPresent() && !address.get().equals(local)) {
      return false;
    }
    if (pathPrefix.isEmpty()) {
      return true;
    }
    return path != null && path.startsWith(pathPrefix);
  }
}
