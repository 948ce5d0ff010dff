package dev.guise.flink;

import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.pool.config.PoolConfig;
import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fetch job's Guise settings, as plain values: Flink serialises the function with its
 * configuration into the job graph and builds the {@link PoolConfig} in each task ({@link
 * #toPoolConfig()}), because a pool config holds live plugins that do not travel.
 *
 * <p>Start from {@link #defaults()} and change what you need with the {@code with} methods.
 *
 * @param engine the TLS engine's name ({@code bouncycastle}, {@code conscrypt}, {@code jdk})
 * @param profile the fingerprint profile ({@code chrome}, {@code firefox}, ...)
 * @param validator a connection validator spec ({@code head-path:path=/robots.txt}), or null
 * @param retry a retry policy spec ({@code exponential:base=500ms,max-retries=4}), or null for the
 *     pool's default
 * @param trustAnchorsPem PEM certificates to trust instead of the system's roots; empty for the
 *     system's
 * @param warmUp the IPs to open connections to before fetching, per {@linkplain
 *     FetchRequest#hostKey() host key} ({@code host} or {@code host:port}); each task warms up only
 *     the hosts the job's keying sends to it, in {@code open}
 * @param connectTimeout the pool's connect timeout
 * @param requestTimeout the pool's deadline for one request, retries included
 * @param asyncTimeout how long Flink waits for one element before it is emitted as failed with
 *     {@code DEADLINE_EXCEEDED}; longer than the request timeout plus any rate-limit wait
 * @param capacity the most requests in flight per task (Flink's async capacity: backpressure)
 * @param maxConnectionsPerIp the pool's connection limit per IP
 * @param maxRequestsPerSecondPerHost a host's request rate, 0 for no limit; held in the task that
 *     owns the host (see {@link HostRateLimiter})
 * @param maxInlineBodyBytes bodies up to this size travel in the result; larger ones by reference
 */
public record GuiseFetchConfig(
    String engine,
    String profile,
    String validator,
    String retry,
    List<String> trustAnchorsPem,
    Map<String, List<String>> warmUp,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration asyncTimeout,
    int capacity,
    int maxConnectionsPerIp,
    double maxRequestsPerSecondPerHost,
    int maxInlineBodyBytes)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Checks the values that need no plugin to check (plugins are found in the task). */
  public GuiseFetchConfig {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(profile, "profile");
    trustAnchorsPem = List.copyOf(trustAnchorsPem);
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    warmUp.forEach((host, ips) -> hosts.put(host, List.copyOf(ips)));
    warmUp = Collections.unmodifiableMap(hosts);
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(asyncTimeout, "asyncTimeout");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    if (maxConnectionsPerIp < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerIp must be at least 1: " + maxConnectionsPerIp);
    }
    if (!(maxRequestsPerSecondPerHost >= 0) || Double.isInfinite(maxRequestsPerSecondPerHost)) {
      throw new IllegalArgumentException(
          "maxRequestsPerSecondPerHost must be 0 (none) or a positive rate: "
              + maxRequestsPerSecondPerHost);
    }
    if (maxInlineBodyBytes < 0) {
      throw new IllegalArgumentException("maxInlineBodyBytes must be >= 0: " + maxInlineBodyBytes);
    }
  }

  /**
   * BouncyCastle with the Chrome profile, no validator, the pool's retry policy, system trust, no
   * warm-up, connect 10 s, request 30 s, async timeout 60 s, 100 in flight per task, 4 connections
   * per IP, no rate limit, bodies inline up to 1 MiB.
   */
  public static GuiseFetchConfig defaults() {
    return new GuiseFetchConfig(
        "bouncycastle",
        "chrome",
        null,
        null,
        List.of(),
        Map.of(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        100,
        4,
        0,
        1 << 20);
  }

  /** The TLS engine by name ({@code bouncycastle}, {@code conscrypt}, {@code jdk}). */
  public GuiseFetchConfig withEngine(String engine) {
    return copy(c -> c.engine = engine);
  }

  /** The fingerprint profile by name or alias ({@code chrome}, {@code firefox}, ...). */
  public GuiseFetchConfig withProfile(String profile) {
    return copy(c -> c.profile = profile);
  }

  /** A validator spec, or null for none. */
  public GuiseFetchConfig withValidator(String validator) {
    return copy(c -> c.validator = validator);
  }

  /** A retry policy spec, or null for the pool's default. */
  public GuiseFetchConfig withRetry(String retry) {
    return copy(c -> c.retry = retry);
  }

  /** Trusts only these PEM certificates (each string may hold several). */
  public GuiseFetchConfig withTrustAnchorsPem(List<String> trustAnchorsPem) {
    return copy(c -> c.trustAnchorsPem = trustAnchorsPem);
  }

  /** The IPs to warm up per host key (see {@link #warmUp()}). */
  public GuiseFetchConfig withWarmUp(Map<String, List<String>> warmUp) {
    return copy(c -> c.warmUp = warmUp);
  }

  /** The pool's connect and request timeouts, and Flink's wait for one element. */
  public GuiseFetchConfig withTimeouts(
      Duration connectTimeout, Duration requestTimeout, Duration asyncTimeout) {
    return copy(
        c -> {
          c.connectTimeout = connectTimeout;
          c.requestTimeout = requestTimeout;
          c.asyncTimeout = asyncTimeout;
        });
  }

  /** The most requests in flight per task (at least 1). */
  public GuiseFetchConfig withCapacity(int capacity) {
    return copy(c -> c.capacity = capacity);
  }

  /** The pool's connection limit per IP (at least 1). */
  public GuiseFetchConfig withMaxConnectionsPerIp(int maxConnectionsPerIp) {
    return copy(c -> c.maxConnectionsPerIp = maxConnectionsPerIp);
  }

  /** A host's request rate (requests per second), 0 for no limit. */
  public GuiseFetchConfig withMaxRequestsPerSecondPerHost(double maxRequestsPerSecondPerHost) {
    return copy(c -> c.maxRequestsPerSecondPerHost = maxRequestsPerSecondPerHost);
  }

  /** Bodies up to this size travel in the result; larger ones by reference. */
  public GuiseFetchConfig withMaxInlineBodyBytes(int maxInlineBodyBytes) {
    return copy(c -> c.maxInlineBodyBytes = maxInlineBodyBytes);
  }

  /** A copy with {@code change} applied; the compact constructor checks the result. */
  private GuiseFetchConfig copy(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The fields of a config being changed: one place that lists them all, for the withers. */
  private static final class Copy {
    String engine;
    String profile;
    String validator;
    String retry;
    List<String> trustAnchorsPem;
    Map<String, List<String>> warmUp;
    Duration connectTimeout;
    Duration requestTimeout;
    Duration asyncTimeout;
    int capacity;
    int maxConnectionsPerIp;
    double maxRequestsPerSecondPerHost;
    int maxInlineBodyBytes;

    Copy(GuiseFetchConfig from) {
      engine = from.engine;
      profile = from.profile;
      validator = from.validator;
      retry = from.retry;
      trustAnchorsPem = from.trustAnchorsPem;
      warmUp = from.warmUp;
      connectTimeout = from.connectTimeout;
      requestTimeout = from.requestTimeout;
      asyncTimeout = from.asyncTimeout;
      capacity = from.capacity;
      maxConnectionsPerIp = from.maxConnectionsPerIp;
      maxRequestsPerSecondPerHost = from.maxRequestsPerSecondPerHost;
      maxInlineBodyBytes = from.maxInlineBodyBytes;
    }

    GuiseFetchConfig build() {
      return new GuiseFetchConfig(
          engine,
          profile,
          validator,
          retry,
          trustAnchorsPem,
          warmUp,
          connectTimeout,
          requestTimeout,
          asyncTimeout,
          capacity,
          maxConnectionsPerIp,
          maxRequestsPerSecondPerHost,
          maxInlineBodyBytes);
    }
  }

  /**
   * The pool's configuration, built in the task: engines and plugins are found there by name.
   *
   * @throws IllegalArgumentException an unknown engine or plugin, a bad spec or bad PEM
   */
  public PoolConfig toPoolConfig() {
    PoolConfig.Builder b =
        PoolConfig.builder()
            .engine(engine)
            .profile(profile)
            .timeouts(t -> t.withConnect(connectTimeout).withRequest(requestTimeout))
            .limits(l -> l.withMaxConnectionsPerIp(maxConnectionsPerIp));
    if (validator != null) {
      b.validator(Providers.connectionValidator(validator));
    }
    if (retry != null) {
      b.retryPolicy(Providers.retryPolicy(retry));
    }
    if (!trustAnchorsPem.isEmpty()) {
      b.trust(TrustPolicy.onlyAnchors(anchors(trustAnchorsPem)));
    }
    return b.build();
  }

  private static List<X509Certificate> anchors(List<String> pems) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (String pem : pems) {
        var certs =
            factory.generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        for (var c : certs) {
          out.add((X509Certificate) c);
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("trustAnchorsPem: not PEM certificates", e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("trustAnchorsPem: no certificate found");
    }
    return out;
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
