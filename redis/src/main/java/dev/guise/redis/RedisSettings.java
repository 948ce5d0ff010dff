package dev.guise.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a fleet's Redis is and how to reach it: the URL ({@code redis://host:port} or, for TLS,
 * {@code rediss://host:port}), the password (in the URL's user part or given apart), a PEM
 * certificate to trust for TLS (else the JDK's trust store), the key prefix (two fleets sharing one
 * Redis use two prefixes), and the bounds of the client: how long one command may take before Redis
 * counts as slow or down, and how often its health is checked.
 *
 * <p>The password never leaves this object in text: {@link #toString()} and {@link #maskedUri()}
 * show {@code ***} in its place.
 */
public final class RedisSettings {
  /** The default key prefix. */
  public static final String DEFAULT_PREFIX = "guise:";

  private final String uri;
  private final char[] password;
  private final Path trustedCertificate;
  private final String keyPrefix;
  private final Duration commandTimeout;
  private final Duration heartbeat;

  private RedisSettings(Builder b) {
    this.uri = b.uri;
    this.password = b.password == null ? null : b.password.clone();
    this.trustedCertificate = b.trustedCertificate;
    this.keyPrefix = b.keyPrefix;
    this.commandTimeout = b.commandTimeout;
    this.heartbeat = b.heartbeat;
  }

  /** Settings for the Redis at {@code uri} ({@code redis://} or {@code rediss://}). */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /** The URL as given, password included: for the client only, never to print. */
  public String uri() {
    return uri;
  }

  /** The URL with any password in it replaced by {@code ***}: what logs and reports show. */
  public String maskedUri() {
    return mask(uri);
  }

  /** A copy of the password given apart from the URL, or null. */
  public char[] password() {
    return password == null ? null : password.clone();
  }

  /** A PEM certificate (or chain) to trust for {@code rediss://}; null: the JDK's trust store. */
  public Path trustedCertificate() {
    return trustedCertificate;
  }

  /** What every key this fleet writes starts with, and its change channel's name. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** How long one command may take before Redis counts as slow or down. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** How often Redis's health is checked (and, while it is down, a reconnection tried). */
  public Duration heartbeat() {
    return heartbeat;
  }

  /**
   * {@code uri} with the password of its user part replaced by {@code ***} ({@code
   * redis://user:***@host:6379}, {@code redis://***@host}); an unparseable URL is hidden whole but
   * for its scheme, since where a password sits in it cannot be told.
   */
  public static String mask(String uri) {
    if (uri == null) {
      return null;
    }
    try {
      URI u = new URI(uri);
      String userInfo = u.getRawUserInfo();
      if (userInfo == null) {
        return uri;
      }
      int colon = userInfo.indexOf(':');
      String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
      int at = uri.indexOf('@');
      int start = uri.indexOf("//") + 2;
      return uri.substring(0, start) + masked + uri.substring(at);
    } catch (URISyntaxException | RuntimeException e) {
      int scheme = uri.indexOf("://");
      return scheme < 0 ? "***" : uri.substring(0, scheme + 3) + "***";
    }
  }

  @Override
  public String toString() {
    return "RedisSettings[uri="
        + maskedUri()
        + (password != null ? ", password=***" : "")
        + (trustedCertificate != null ? ", trustedCertificate=" + trustedCertificate : "")
        + ", keyPrefix="
        + keyPrefix
        + ", commandTimeout="
        + commandTimeout
        + ", heartbeat="
        + heartbeat
        + "]";
  }

  /** Builds {@link RedisSettings}. */
  public static final class Builder {
    private final String uri;
    private char[] password;
    private Path trustedCertificate;
    private String keyPrefix = DEFAULT_PREFIX;
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration heartbeat = Duration.ofMillis(250);

    private Builder(String uri) {
      Objects.requireNonNull(uri, "uri");
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        throw new IllegalArgumentException(
            "a Redis URL starts with redis:// or rediss:// (TLS): " + mask(uri));
      }
      this.uri = uri;
    }

    /** The password ({@code AUTH}), when it is not in the URL. */
    public Builder password(char[] password) {
      this.password = password == null ? null : Arrays.copyOf(password, password.length);
      return this;
    }

    /** A PEM certificate to trust for TLS. */
    public Builder trustedCertificate(Path pem) {
      this.trustedCertificate = pem;
      return this;
    }

    /** The key prefix; default {@value RedisSettings#DEFAULT_PREFIX}. */
    public Builder keyPrefix(String prefix) {
      if (prefix == null || prefix.isEmpty() || prefix.length() > 100) {
        throw new IllegalArgumentException("a key prefix is 1 to 100 characters");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /** How long one command may take; default 500 ms. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /** How often Redis's health is checked; default 250 ms. */
    public Builder heartbeat(Duration every) {
      this.heartbeat = positive(every, "heartbeat");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }

    public RedisSettings build() {
      return new RedisSettings(this);
    }
  }
}
