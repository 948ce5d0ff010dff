package dev.guise.pool.config;

import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.FailureClassifier;
import dev.guise.api.spi.RetryPolicy;
import dev.guise.pool.failure.DefaultFailureClassifier;
import dev.guise.pool.retry.ExponentialBackoffRetryPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link HotConnectionPool} is built from. Immutable; build one with {@link #builder()}.
 * Invalid values are rejected by {@link Builder#build()} with a message naming the setting.
 *
 * <p>Defaults: connect timeout 30 s, validation timeout 10 s, idle timeout 60 s, health-check
 * interval 30 s, maximum lifetime 300 s, 3 retries (exponential backoff with full jitter), error
 * threshold 10, ban 10 min, 3 strikes to a ban, 6 connections per IP, 1000 per host, acquire wait
 * 10 s, revalidation after 30 s idle, request deadline 30 s, warm-up parallelism 32.
 */
public final class PoolConfig {
  private final String engine;
  private final Map<String, Integer> profiles;
  private final TrustPolicy trust;
  private final List<String> alpn;
  private final Optional<ConnectionValidator> validator;
  private final FailureClassifier classifier;
  private final RetryPolicy retryPolicy;
  private final Duration connectTimeout;
  private final Duration validationTimeout;
  private final Duration idleTimeout;
  private final Duration healthCheckInterval;
  private final Duration maxLifetime;
  private final Duration revalidateAfterIdle;
  private final int errorThreshold;
  private final Duration banDuration;
  private final int strikesToBan;
  private final int maxConnectionsPerIp;
  private final int maxConnectionsPerHost;
  private final Duration acquireTimeout;
  private final Duration requestTimeout;
  private final int warmUpParallelism;
  private final long maxResponseBodyBytes;
  private final int maxHeaderListSize;
  private final double retryBudgetRatio;
  private final int retryBudgetMinPerSecond;
  private final Resolver resolver;
  private final Clock clock;
  private final long seed;
  private final IpRotation ipRotation;

  private PoolConfig(Builder b) {
    this.engine = b.engine;
    this.profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.profiles));
    this.trust = b.trust;
    this.alpn = List.copyOf(b.alpn);
    this.validator = Optional.ofNullable(b.validator);
    this.classifier = b.classifier;
    this.retryPolicy = b.retryPolicy;
    this.connectTimeout = b.connectTimeout;
    this.validationTimeout = b.validationTimeout;
    this.idleTimeout = b.idleTimeout;
    this.healthCheckInterval = b.healthCheckInterval;
    this.maxLifetime = b.maxLifetime;
    this.revalidateAfterIdle = b.revalidateAfterIdle;
    this.errorThreshold = b.errorThreshold;
    this.banDuration = b.banDuration;
    this.strikesToBan = b.strikesToBan;
    this.maxConnectionsPerIp = b.maxConnectionsPerIp;
    this.maxConnectionsPerHost = b.maxConnectionsPerHost;
    this.acquireTimeout = b.acquireTimeout;
    this.requestTimeout = b.requestTimeout;
    this.warmUpParallelism = b.warmUpParallelism;
    this.maxResponseBodyBytes = b.maxResponseBodyBytes;
    this.maxHeaderListSize = b.maxHeaderListSize;
    this.retryBudgetRatio = b.retryBudgetRatio;
    this.retryBudgetMinPerSecond = b.retryBudgetMinPerSecond;
    this.resolver = b.resolver;
    this.clock = b.clock;
    this.seed = b.seed;
    this.ipRotation = b.ipRotation;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TLS engine's name, as {@link dev.guise.api.spi.Providers#tlsEngine} knows it. */
  public String engine() {
    return engine;
  }

  /** Profiles for new connections with their weights; one entry means a fixed profile. */
  public Map<String, Integer> profiles() {
    return profiles;
  }

  public TrustPolicy trust() {
    return trust;
  }

  /** ALPN protocols offered; empty for the profile's own list. */
  public List<String> alpn() {
    return alpn;
  }

  /** The validator for new, long-idle and health-checked connections; empty for none. */
  public Optional<ConnectionValidator> validator() {
    return validator;
  }

  /** The classifier chain; Guise's default classifier is always its last member. */
  public FailureClassifier classifier() {
    return classifier;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration validationTimeout() {
    return validationTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration healthCheckInterval() {
    return healthCheckInterval;
  }

  public Duration maxLifetime() {
    return maxLifetime;
  }

  /** A connection idle longer than this is validated before it is handed out. */
  public Duration revalidateAfterIdle() {
    return revalidateAfterIdle;
  }

  /** Failed exchanges on one connection after which the health checker marks it unhealthy. */
  public int errorThreshold() {
    return errorThreshold;
  }

  public Duration banDuration() {
    return banDuration;
  }

  /** Penalties (refused connections, rate limits) after which an IP is banned. */
  public int strikesToBan() {
    return strikesToBan;
  }

  public int maxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  public int maxConnectionsPerHost() {
    return maxConnectionsPerHost;
  }

  /** The longest a caller waits for a connection when the limits are reached. */
  public Duration acquireTimeout() {
    return acquireTimeout;
  }

  /** The default deadline of a request, retries included. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int warmUpParallelism() {
    return warmUpParallelism;
  }

  public long maxResponseBodyBytes() {
    return maxResponseBodyBytes;
  }

  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  /** Retries allowed as a share of successful requests (the retry budget's refill). */
  public double retryBudgetRatio() {
    return retryBudgetRatio;
  }

  /** Retries always allowed per second, whatever the ratio says. */
  public int retryBudgetMinPerSecond() {
    return retryBudgetMinPerSecond;
  }

  public Resolver resolver() {
    return resolver;
  }

  public Clock clock() {
    return clock;
  }

  /** Seed for profile rotation and IP choice; fixed seeds give repeatable runs. */
  public long seed() {
    return seed;
  }

  /** How a request that names no IP picks one of the host's IPs. */
  public IpRotation ipRotation() {
    return ipRotation;
  }

  /** Resolves a host to its IPs when the caller has named none. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JDK's resolver. */
    static Resolver jdk() {
      return host -> List.of(InetAddress.getAllByName(host));
    }
  }

  /** Builds a {@link PoolConfig}; not thread-safe. */
  public static final class Builder {
    private String engine = "jdk";
    private final Map<String, Integer> profiles = new LinkedHashMap<>();
    private TrustPolicy trust = TrustPolicy.systemDefaults();
    private List<String> alpn = List.of();
    private ConnectionValidator validator;
    private final List<FailureClassifier> classifiers = new ArrayList<>();
    private FailureClassifier classifier;
    private RetryPolicy retryPolicy = new ExponentialBackoffRetryPolicy();
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration validationTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration healthCheckInterval = Duration.ofSeconds(30);
    private Duration maxLifetime = Duration.ofSeconds(300);
    private Duration revalidateAfterIdle = Duration.ofSeconds(30);
    private int errorThreshold = 10;
    private Duration banDuration = Duration.ofMinutes(10);
    private int strikesToBan = 3;
    private int maxConnectionsPerIp = 6;
    private int maxConnectionsPerHost = 1000;
    private Duration acquireTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int warmUpParallelism = 32;
    private long maxResponseBodyBytes = 64L * 1024 * 1024;
    private int maxHeaderListSize = 256 * 1024;
    private double retryBudgetRatio = 0.2;
    private int retryBudgetMinPerSecond = 10;
    private Resolver resolver = Resolver.jdk();
    private Clock clock = Clock.systemUTC();
    private long seed = System.nanoTime();
    private IpRotation ipRotation = IpRotation.ROUND_ROBIN;

    private Builder() {}

    /** The TLS engine by name ({@code bouncycastle}, {@code conscrypt}, {@code jdk}). */
    public Builder engine(String engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** One profile for every new connection. */
    public Builder profile(String profile) {
      profiles.clear();
      profiles.put(Objects.requireNonNull(profile, "profile"), 1);
      return this;
    }

    /** Adds a profile to a weighted rotation: each new connection draws one by weight. */
    public Builder profile(String profile, int weight) {
      profiles.put(Objects.requireNonNull(profile, "profile"), weight);
      return this;
    }

    public Builder trust(TrustPolicy trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    public Builder alpn(List<String> alpn) {
      this.alpn = List.copyOf(alpn);
      return this;
    }

    public Builder validator(ConnectionValidator validator) {
      this.validator = validator;
      return this;
    }

    /** Adds a classifier before Guise's default one (which always comes last). */
    public Builder classifier(FailureClassifier classifier) {
      classifiers.add(Objects.requireNonNull(classifier, "classifier"));
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder validationTimeout(Duration d) {
      this.validationTimeout = d;
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = d;
      return this;
    }

    public Builder healthCheckInterval(Duration d) {
      this.healthCheckInterval = d;
      return this;
    }

    public Builder maxLifetime(Duration d) {
      this.maxLifetime = d;
      return this;
    }

    public Builder revalidateAfterIdle(Duration d) {
      this.revalidateAfterIdle = d;
      return this;
    }

    public Builder errorThreshold(int n) {
      this.errorThreshold = n;
      return this;
    }

    public Builder banDuration(Duration d) {
      this.banDuration = d;
      return this;
    }

    public Builder strikesToBan(int n) {
      this.strikesToBan = n;
      return this;
    }

    public Builder maxConnectionsPerIp(int n) {
      this.maxConnectionsPerIp = n;
      return this;
    }

    public Builder maxConnectionsPerHost(int n) {
      this.maxConnectionsPerHost = n;
      return this;
    }

    public Builder acquireTimeout(Duration d) {
      this.acquireTimeout = d;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    public Builder warmUpParallelism(int n) {
      this.warmUpParallelism = n;
      return this;
    }

    public Builder maxResponseBodyBytes(long n) {
      this.maxResponseBodyBytes = n;
      return this;
    }

    public Builder maxHeaderListSize(int n) {
      this.maxHeaderListSize = n;
      return this;
    }

    /** The retry budget: retries may be {@code ratio} of successes, and at least {@code minPerSecond}. */
    public Builder retryBudget(double ratio, int minPerSecond) {
      this.retryBudgetRatio = ratio;
      this.retryBudgetMinPerSecond = minPerSecond;
      return this;
    }

    public Builder resolver(Resolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** The clock for idle, lifetime, health-check and ban rules (inject one in tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How a request that names no IP picks one (default {@link IpRotation#ROUND_ROBIN}). */
    public Builder ipRotation(IpRotation rotation) {
      this.ipRotation = Objects.requireNonNull(rotation, "ipRotation");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public PoolConfig build() {
      positive("connectTimeout", connectTimeout);
      positive("validationTimeout", validationTimeout);
      positive("idleTimeout", idleTimeout);
      positive("healthCheckInterval", healthCheckInterval);
      positive("maxLifetime", maxLifetime);
      notNegative("revalidateAfterIdle", revalidateAfterIdle);
      positive("banDuration", banDuration);
      positive("acquireTimeout", acquireTimeout);
      positive("requestTimeout", requestTimeout);
      atLeast("errorThreshold", errorThreshold, 1);
      atLeast("strikesToBan", strikesToBan, 1);
      atLeast("maxConnectionsPerIp", maxConnectionsPerIp, 1);
      atLeast("maxConnectionsPerHost", maxConnectionsPerHost, 1);
      atLeast("warmUpParallelism", warmUpParallelism, 1);
      atLeast("maxHeaderListSize", maxHeaderListSize, 1024);
      if (maxResponseBodyBytes < 0) {
        throw new IllegalArgumentException("maxResponseBodyBytes must not be negative: " + maxResponseBodyBytes);
      }
      if (!(retryBudgetRatio >= 0 && retryBudgetRatio <= 10)) {
        throw new IllegalArgumentException("retryBudget ratio must be between 0 and 10: " + retryBudgetRatio);
      }
      atLeast("retryBudget minPerSecond", retryBudgetMinPerSecond, 0);
      if (maxLifetime.compareTo(idleTimeout) < 0) {
        throw new IllegalArgumentException(
            "maxLifetime (" + maxLifetime + ") must not be shorter than idleTimeout (" + idleTimeout + ")");
      }
      if (engine.isBlank()) {
        throw new IllegalArgumentException("engine must name a TLS engine");
      }
      if (profiles.isEmpty()) {
        profiles.put(engine.equals("jdk") ? "jdk-default" : "chrome", 1);
      }
      for (var e : profiles.entrySet()) {
        if (e.getValue() < 1) {
          throw new IllegalArgumentException(
              "profile weight must be at least 1: " + e.getKey() + "=" + e.getValue());
        }
      }
      List<FailureClassifier> chain = new ArrayList<>(classifiers);
      chain.add(new DefaultFailureClassifier(java.util.Set.of(403), java.util.Set.of(429), clock));
      classifier = FailureClassifier.chain(chain);
      return new PoolConfig(this);
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration: " + d);
      }
    }

    private static void notNegative(String name, Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + d);
      }
    }

    private static void atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
      }
    }
  }
}
