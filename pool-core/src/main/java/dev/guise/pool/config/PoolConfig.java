package dev.guise.pool.config;

import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.FailureClassifier;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.RetryPolicy;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.failure.DefaultFailureClassifier;
import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.retry.ExponentialBackoffRetryPolicy;
import dev.guise.pool.stats.PoolEventListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything a {@code HotConnectionPool} is built from. Immutable; build one with {@link
 * #builder()}, or change a copy with {@link #toBuilder()}.
 *
 * <p>What the connections look like stands here: the engine, profiles, trust and ALPN, the plugins
 * (validator, classifiers, retry policy), the event listener, the resolver, the clock and the seed.
 * The numbers stand in four groups, each an immutable value with its own defaults and {@code
 * with...} methods: {@link Timeouts}, {@link Limits}, {@link HealthChecks} (health checks and bans,
 * with the statuses that ban or rate-limit) and {@link RetryBudget}. A group is changed in place
 * with a function:
 *
 * <pre>{@code
 * PoolConfig.builder()
 *     .timeouts(t -> t.withConnect(Duration.ofSeconds(5)))
 *     .healthChecks(h -> h.withBanStatuses(Set.of(403, 451)))
 *     .build();
 * }</pre>
 *
 * <p>An invalid value is rejected where it is given (or, for a rule across settings, by {@link
 * Builder#build()}) with a message naming the setting.
 */
public final class PoolConfig {
  private final String engine;

  /** The profiles as configured, possibly none, so that {@link #toBuilder()} keeps "none given". */
  private final Map<String, Integer> configuredProfiles;

  private final Map<String, Integer> profiles;
  private final TrustPolicy trust;
  private final List<String> alpn;
  private final boolean tlsResumption;
  private final Optional<ConnectionValidator> validator;
  private final List<FailureClassifier> classifiers;
  private final FailureClassifier classifier;
  private final RetryPolicy retryPolicy;
  private final Timeouts timeouts;
  private final Limits limits;
  private final HealthChecks healthChecks;
  private final RetryBudget retryBudget;
  private final PoolEventListener.Factory eventListenerFactory;
  private final Resolver resolver;
  private final Clock clock;
  private final long seed;
  private final IpRotation ipRotation;
  private final ReaderThreads readerThreads;
  private final Optional<ProxyRouting> proxies;
  private final Optional<FleetStore> fleetStore;
  private final List<AccessEntry> accessEntries;
  private final Map<String, RateLimit> rateLimits;
  private final Optional<AdaptiveTimeouts> adaptiveTimeouts;

  private PoolConfig(Builder b, Map<String, Integer> profiles, FailureClassifier classifier) {
    this.engine = b.engine;
    this.configuredProfiles = Collections.unmodifiableMap(new LinkedHashMap<>(b.profiles));
    this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    this.trust = b.trust;
    this.alpn = b.alpn;
    this.tlsResumption = b.tlsResumption;
    this.validator = Optional.ofNullable(b.validator);
    this.classifiers = List.copyOf(b.classifiers);
    this.classifier = classifier;
    this.retryPolicy = b.retryPolicy;
    this.timeouts = b.timeouts;
    this.limits = b.limits;
    this.healthChecks = b.healthChecks;
    this.retryBudget = b.retryBudget;
    this.eventListenerFactory = b.eventListenerFactory;
    this.resolver = b.resolver;
    this.clock = b.clock;
    this.seed = b.seed;
    this.ipRotation = b.ipRotation;
    this.readerThreads = b.readerThreads;
    this.proxies = Optional.ofNullable(b.proxies);
    this.fleetStore = Optional.ofNullable(b.fleetStore);
    this.accessEntries = List.copyOf(b.accessEntries);
    this.rateLimits = Collections.unmodifiableMap(new LinkedHashMap<>(b.rateLimits));
    this.adaptiveTimeouts = Optional.ofNullable(b.adaptiveTimeouts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The names {@link #preset(String)} knows, in order of growing load. */
  public static final List<String> PRESETS =
      List.of("development", "test", "production", "high-load");

  /**
   * A builder starting from one of the seed's presets, to change further. Each sets the connect
   * timeout, the validation ("test") timeout, the idle timeout, the health-check interval, the
   * maximum lifetime and the retries (of the {@code exponential} policy):
   *
   * <table>
   *   <caption>Presets</caption>
   *   <tr><th>preset</th><th>connect</th><th>test</th><th>idle</th><th>health check</th>
   *       <th>lifetime</th><th>retries</th></tr>
   *   <tr><td>development</td><td>15 s</td><td>8 s</td><td>90 s</td><td>45 s</td><td>300 s</td>
   *       <td>4</td></tr>
   *   <tr><td>test</td><td>20 s</td><td>10 s</td><td>60 s</td><td>30 s</td><td>300 s</td>
   *       <td>3</td></tr>
   *   <tr><td>production</td><td>30 s</td><td>10 s</td><td>60 s</td><td>30 s</td><td>300 s</td>
   *       <td>3</td></tr>
   *   <tr><td>high-load</td><td>45 s</td><td>15 s</td><td>30 s</td><td>15 s</td><td>180 s</td>
   *       <td>2</td></tr>
   * </table>
   *
   * <p>Everything else keeps its default.
   *
   * @throws IllegalArgumentException for a name not in {@link #PRESETS}, listing them
   */
  public static Builder preset(String name) {
    String n = Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT);
    int[] v =
        switch (n) {
          // connect, test, idle, health check, lifetime (seconds), retries
          case "development" -> new int[] {15, 8, 90, 45, 300, 4};
          case "test" -> new int[] {20, 10, 60, 30, 300, 3};
          case "production" -> new int[] {30, 10, 60, 30, 300, 3};
          case "high-load" -> new int[] {45, 15, 30, 15, 180, 2};
          default ->
              throw new IllegalArgumentException(
                  "unknown preset '" + name + "'; presets: " + String.join(", ", PRESETS));
        };
    RetryPolicy retries =
        new ExponentialBackoffRetryPolicy().withOptions(Map.of("max-retries", "" + v[5]));
    return builder()
        .timeouts(
            t ->
                t.withConnect(Duration.ofSeconds(v[0]))
                    .withValidation(Duration.ofSeconds(v[1]))
                    .withIdle(Duration.ofSeconds(v[2]))
                    .withMaxLifetime(Duration.ofSeconds(v[4])))
        .healthChecks(h -> h.withInterval(Duration.ofSeconds(v[3])))
        .retryPolicy(retries);
  }

  /** A builder holding this configuration's settings; building it unchanged gives an equal one. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.engine = engine;
    b.profiles.putAll(configuredProfiles);
    b.trust = trust;
    b.alpn = alpn;
    b.tlsResumption = tlsResumption;
    b.validator = validator.orElse(null);
    b.classifiers.addAll(classifiers);
    b.retryPolicy = retryPolicy;
    b.timeouts = timeouts;
    b.limits = limits;
    b.healthChecks = healthChecks;
    b.retryBudget = retryBudget;
    b.eventListenerFactory = eventListenerFactory;
    b.resolver = resolver;
    b.clock = clock;
    b.seed = seed;
    b.ipRotation = ipRotation;
    b.readerThreads = readerThreads;
    b.proxies = proxies.orElse(null);
    b.fleetStore = fleetStore.orElse(null);
    b.accessEntries.addAll(accessEntries);
    b.rateLimits.putAll(rateLimits);
    b.adaptiveTimeouts = adaptiveTimeouts.orElse(null);
    return b;
  }

  /** The proxies every connection goes through; empty when connections go directly. */
  public Optional<ProxyRouting> proxies() {
    return proxies;
  }

  /**
   * The store bans, strikes, the allow and deny lists and the rate limits are kept in; empty for
   * the pool's own in-memory store. A pool never closes a store it is given.
   */
  public Optional<FleetStore> fleetStore() {
    return fleetStore;
  }

  /** The allow and deny entries a pool adds to its store as it starts. */
  public List<AccessEntry> accessEntries() {
    return accessEntries;
  }

  /** Request rate limits by host name (lower case); a host not here is not limited. */
  public Map<String, RateLimit> rateLimits() {
    return rateLimits;
  }

  /** Timeouts that follow each host's error rate; empty for the configured ones, as they are. */
  public Optional<AdaptiveTimeouts> adaptiveTimeouts() {
    return adaptiveTimeouts;
  }

  /** The TLS engine's name, as {@link Providers#tlsEngine} knows it. */
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

  /**
   * Whether TLS sessions are resumed with tickets as the profile's browser resumes them (engines
   * that can; see {@link dev.guise.api.TlsConnectRequest#resumption()}). On by default.
   */
  public boolean tlsResumption() {
    return tlsResumption;
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

  public Timeouts timeouts() {
    return timeouts;
  }

  public Limits limits() {
    return limits;
  }

  /** Health checks and bans, with the statuses the default classifier bans and rate-limits on. */
  public HealthChecks healthChecks() {
    return healthChecks;
  }

  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** Makes each pool's event listener as the pool is created. */
  public PoolEventListener.Factory eventListenerFactory() {
    return eventListenerFactory;
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

  /**
   * The kind of thread that reads each HTTP/2 connection (default {@link ReaderThreads#PLATFORM}).
   */
  public ReaderThreads readerThreads() {
    return readerThreads;
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

  /**
   * Builds a {@link PoolConfig}; not thread-safe. {@link #build()} reads the builder and leaves it
   * as it was, so one builder can build several configurations, and changing it afterwards does not
   * change what it built.
   */
  public static final class Builder {
    private String engine = "jdk";
    private final Map<String, Integer> profiles = new LinkedHashMap<>();
    private TrustPolicy trust = TrustPolicy.systemDefaults();
    private List<String> alpn = List.of();
    private boolean tlsResumption = true;
    private ConnectionValidator validator;
    private final List<FailureClassifier> classifiers = new ArrayList<>();
    private RetryPolicy retryPolicy = new ExponentialBackoffRetryPolicy();
    private Timeouts timeouts = Timeouts.defaults();
    private Limits limits = Limits.defaults();
    private HealthChecks healthChecks = HealthChecks.defaults();
    private RetryBudget retryBudget = RetryBudget.defaults();
    private PoolEventListener.Factory eventListenerFactory =
        PoolEventListener.Factory.of(PoolEventListener.NONE);
    private Resolver resolver = Resolver.jdk();
    private Clock clock = Clock.systemUTC();
    private long seed = System.nanoTime();
    private IpRotation ipRotation = IpRotation.ROUND_ROBIN;
    private ReaderThreads readerThreads = ReaderThreads.ADAPTIVE;
    private ProxyRouting proxies;
    private FleetStore fleetStore;
    private final List<AccessEntry> accessEntries = new ArrayList<>();
    private final Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
    private AdaptiveTimeouts adaptiveTimeouts;

    private Builder() {}

    /**
     * Keeps bans, strikes, the lists and rate limits in {@code store}, shared with other processes
     * (see {@code dev.guise.pool.fleet.FleetStores}); null for the pool's own in-memory store (the
     * default). Whoever opened the store closes it, after the pools.
     */
    public Builder fleetStore(FleetStore store) {
      this.fleetStore = store;
      return this;
    }

    /** Adds an allow or deny entry, put in the store as the pool starts. */
    public Builder access(AccessEntry entry) {
      accessEntries.add(Objects.requireNonNull(entry, "entry"));
      return this;
    }

    /** Limits the requests to {@code host} (every port) to {@code limit}; null removes a limit. */
    public Builder rateLimit(String host, RateLimit limit) {
      String h = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
      if (limit == null) {
        rateLimits.remove(h);
      } else {
        rateLimits.put(h, limit);
      }
      return this;
    }

    /** Timeouts that follow each host's error rate; null (the default) for fixed ones. */
    public Builder adaptiveTimeouts(AdaptiveTimeouts adaptive) {
      this.adaptiveTimeouts = adaptive;
      return this;
    }

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

    /**
     * One profile for every new connection: the profile of a profile file ({@code guise capture}
     * writes them; format in {@code docs/profiles.md}), added to {@link BrowserProfiles} for the
     * rest of the process. Engines read that catalogue when first used: load files before the
     * process's first pool.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a valid profile file or its name is taken
     */
    public Builder profile(Path profileFile) throws IOException {
      return profile(BrowserProfiles.load(profileFile).profile().name());
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

    /**
     * Turns TLS session resumption on (the default: the first connection to a host gets a ticket,
     * later ones resume as the browser would) or off (every handshake a full one, no ticket kept).
     */
    public Builder tlsResumption(boolean on) {
      this.tlsResumption = on;
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

    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /** Changes the timeouts: {@code timeouts(t -> t.withConnect(Duration.ofSeconds(5)))}. */
    public Builder timeouts(UnaryOperator<Timeouts> change) {
      return timeouts(change.apply(timeouts));
    }

    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Changes the limits: {@code limits(l -> l.withMaxConnectionsPerIp(2))}. */
    public Builder limits(UnaryOperator<Limits> change) {
      return limits(change.apply(limits));
    }

    public Builder healthChecks(HealthChecks healthChecks) {
      this.healthChecks = Objects.requireNonNull(healthChecks, "healthChecks");
      return this;
    }

    /** Changes health checks and bans: {@code healthChecks(h -> h.withStrikesToBan(1))}. */
    public Builder healthChecks(UnaryOperator<HealthChecks> change) {
      return healthChecks(change.apply(healthChecks));
    }

    public Builder retryBudget(RetryBudget retryBudget) {
      this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
      return this;
    }

    /** The listener every pool built from this configuration reports to. */
    public Builder eventListener(PoolEventListener listener) {
      return eventListenerFactory(PoolEventListener.Factory.of(listener));
    }

    /** Makes each pool's own listener as the pool is created. */
    public Builder eventListenerFactory(PoolEventListener.Factory factory) {
      this.eventListenerFactory = Objects.requireNonNull(factory, "eventListenerFactory");
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
     * The kind of thread that reads each HTTP/2 connection (default {@link ReaderThreads#PLATFORM};
     * {@link ReaderThreads#VIRTUAL} for pools of many thousand HTTP/2 connections).
     */
    public Builder readerThreads(ReaderThreads kind) {
      this.readerThreads = Objects.requireNonNull(kind, "readerThreads");
      return this;
    }

    /**
     * Every connection goes through these proxies, never directly (see {@link ProxyRouting}); null
     * for none (the default).
     */
    public Builder proxies(ProxyRouting proxies) {
      this.proxies = proxies;
      return this;
    }

    /** Every connection goes through {@code proxies}, chosen by the default rule. */
    public Builder proxies(List<Proxy> proxies) {
      return proxies(ProxyRouting.of(proxies));
    }

    /**
     * Validates and builds; the builder is left as it was.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public PoolConfig build() {
      Duration idle = timeouts.idle();
      Duration maxLifetime = timeouts.maxLifetime();
      if (maxLifetime.compareTo(idle) < 0) {
        throw new IllegalArgumentException(
            "timeouts.maxLifetime ("
                + maxLifetime
                + ") must not be shorter than timeouts.idle ("
                + idle
                + ")");
      }
      if (engine.isBlank()) {
        throw new IllegalArgumentException("engine must name a TLS engine");
      }
      // The default profile is chosen here, not stored in the builder: a later engine(...) on the
      // same builder, or on toBuilder(), must pick its own default again.
      Map<String, Integer> chosen = new LinkedHashMap<>(profiles);
      if (chosen.isEmpty()) {
        chosen.put(engine.equals("jdk") ? "jdk-default" : "chrome", 1);
      }
      for (var e : chosen.entrySet()) {
        if (e.getValue() < 1) {
          throw new IllegalArgumentException(
              "profile weight must be at least 1: " + e.getKey() + "=" + e.getValue());
        }
      }
      List<FailureClassifier> chain = new ArrayList<>(classifiers);
      chain.add(
          new DefaultFailureClassifier(
              healthChecks.banStatuses(), healthChecks.rateLimitStatuses(), clock));
      return new PoolConfig(this, chosen, FailureClassifier.chain(chain));
    }
  }
}
