package dev.guise.pool.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A user name and password for a proxy: Basic authentication for HTTP proxies, RFC 1929 for SOCKS5.
 * The password is a secret: {@link #toString()} prints {@code user:***}, and Guise never puts it in
 * a log line, an exception, an event or the stats.
 */
public final class ProxyCredentials {
  private final String username;
  private final String password;

  /**
   * @throws IllegalArgumentException when either is longer than 255 bytes in UTF-8 (RFC 1929's
   *     limit; HTTP proxies are given the same bound) or the user name holds a colon (Basic
   *     authentication could not tell it from the password)
   */
  public ProxyCredentials(String username, String password) {
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password");
    if (utf8Length(username) > 255 || utf8Length(password) > 255) {
      throw new IllegalArgumentException(
          "proxy user name and password are limited to 255 bytes each");
    }
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a proxy user name cannot contain ':'");
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  public String username() {
    return username;
  }

  /** The password, for the code that sends it to the proxy; never print it. */
  public String password() {
    return password;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProxyCredentials c
        && username.equals(c.username)
        && password.equals(c.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, password);
  }

  /** {@code user:***}: the password never. */
  @Override
  public String toString() {
    return username + ":***";
  }
}
