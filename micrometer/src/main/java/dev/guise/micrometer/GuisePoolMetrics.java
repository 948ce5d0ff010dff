package dev.guise.micrometer;

import dev.guise.micrometer.internal.ConnectionGauges;
import dev.guise.micrometer.internal.ListenerPair;
import dev.guise.micrometer.internal.MeterRecorder;
import dev.guise.micrometer.internal.RegistryMeters;
import dev.guise.micrometer.internal.Tagging;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.stats.PoolEventListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Micrometer meters for one {@link HotConnectionPool}:
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code guise.connections}</td><td>gauge</td><td>host, ip, state</td>
 *       <td>open connections by state: CONNECTING, IDLE, IN_USE, UNHEALTHY</td></tr>
 *   <tr><td>{@code guise.requests}</td><td>timer</td><td>host, outcome, failure</td>
 *       <td>requests, first attempt to end, retries included; outcome SUCCESS or FAILURE, failure
 *       the last attempt's {@code FailureKind} or NONE</td></tr>
 *   <tr><td>{@code guise.handshakes}</td><td>timer</td><td>host, ip, outcome, failure</td>
 *       <td>connections opened (TCP, TLS, HTTP set-up), and attempts that failed</td></tr>
 *   <tr><td>{@code guise.retries}</td><td>counter</td><td>host, failure</td>
 *       <td>failed attempts that will be retried, by their failure</td></tr>
 *   <tr><td>{@code guise.bans.started}</td><td>counter</td><td>host, ip</td>
 *       <td>IPs banned for a host</td></tr>
 *   <tr><td>{@code guise.bans.active}</td><td>gauge</td><td>host</td>
 *       <td>bans in force now</td></tr>
 * </table>
 *
 * <p><b>Cardinality.</b> Crawlers reach many hosts and hosts have many IPs, and every distinct tag
 * value is a time series to store. The {@code host} tag takes at most {@link
 * Builder#hostTagLimit(int)} distinct names (default 50); the {@code ip} tag at most {@link
 * Builder#ipTagLimit(int)} distinct host and IP pairs (default 32; 0 leaves the tag out). Values
 * past a limit are folded into {@code other}, in the order first seen; a value once given never
 * changes.
 *
 * <p><b>Wiring.</b> The pool's events reach the meters through the pool's listener, which a
 * configuration gives as the pool is built, so the binder builds the pool:
 *
 * <pre>{@code
 * GuisePoolMetrics metrics = GuisePoolMetrics.builder().tag("pool", "crawler").build();
 * HotConnectionPool pool = metrics.createPool(config); // config's own listener still hears all
 * metrics.bindTo(registry);                             // or let the framework call it
 * }</pre>
 *
 * The configuration's own listener (its {@code eventListener} or {@code eventListenerFactory})
 * hears every event as before. Timers and counters count from the first {@link #bindTo}; the gauges
 * read the pool's own state and show it whenever they are bound. One binder watches one pool.
 */
public final class GuisePoolMetrics implements MeterBinder, AutoCloseable {
  /** Guards {@link #pool} and changes to {@link #registries} (a private lock: not the binder). */
  private final Object lock = new Object();

  private final List<RegistryMeters> registries = new CopyOnWriteArrayList<>();
  private final ConnectionGauges gauges;
  private final MeterRecorder recorder;
  private HotConnectionPool pool;

  private GuisePoolMetrics(Builder b) {
    Tagging tagging = new Tagging(b.tags, b.hostTagLimit, b.ipTagLimit);
    this.gauges = new ConnectionGauges(tagging, b.statsMaxAge, registries);
    this.recorder = new MeterRecorder(tagging, gauges, registries);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the pool of {@code config}, its events also feeding these meters.
   *
   * @throws IllegalStateException when this binder already created a pool
   * @throws IllegalArgumentException as {@link HotConnectionPool#create} does
   */
  public HotConnectionPool createPool(PoolConfig config) {
    synchronized (lock) {
      if (pool != null) {
        throw new IllegalStateException(
            "this GuisePoolMetrics already watches a pool; make one GuisePoolMetrics per pool");
      }
      PoolEventListener.Factory users = config.eventListenerFactory();
      HotConnectionPool created =
          HotConnectionPool.create(
              config.toBuilder()
                  .eventListenerFactory(() -> new ListenerPair(recorder, users.create()))
                  .build());
      gauges.watch(created);
      pool = created;
      return created;
    }
  }

  /** Registers the meters in {@code registry}; may be called for several registries. */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    RegistryMeters meters = new RegistryMeters(registry);
    synchronized (lock) {
      for (RegistryMeters m : registries) {
        if (m.registry() == registry) {
          return;
        }
      }
      registries.add(meters);
    }
    gauges.bindTo(meters);
  }

  /**
   * Removes this binder's meters from every registry it was bound to, and stops recording. The pool
   * is the caller's and stays open.
   */
  @Override
  public void close() {
    List<RegistryMeters> bound;
    synchronized (lock) {
      bound = List.copyOf(registries);
      registries.clear();
    }
    bound.forEach(RegistryMeters::removeAll);
  }

  /** The settings of a {@link GuisePoolMetrics}. */
  public static final class Builder {
    private Tags tags = Tags.empty();
    private int hostTagLimit = 50;
    private int ipTagLimit = 32;
    private Duration statsMaxAge = Duration.ofSeconds(1);

    private Builder() {}

    /** A tag on every meter, such as the pool's name when an application runs several. */
    public Builder tag(String key, String value) {
      tags = tags.and(key, value);
      return this;
    }

    /** Tags on every meter. */
    public Builder tags(Iterable<Tag> more) {
      tags = tags.and(more);
      return this;
    }

    /** Distinct {@code host} tag values; later hosts are tagged {@code other}. Default 50. */
    public Builder hostTagLimit(int limit) {
      this.hostTagLimit = nonNegative(limit, "hostTagLimit");
      return this;
    }

    /**
     * Distinct host and IP pairs with their own {@code ip} tag; later pairs are tagged {@code
     * other}. 0 leaves the {@code ip} tag out, so per-IP meters sum over a host's IPs. Default 32.
     */
    public Builder ipTagLimit(int limit) {
      this.ipTagLimit = nonNegative(limit, "ipTagLimit");
      return this;
    }

    /**
     * How old the pool statistics behind the gauges may be: one scrape reads one snapshot. Default
     * one second; zero reads the pool on every gauge read.
     */
    public Builder statsMaxAge(Duration maxAge) {
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("statsMaxAge must not be negative: " + maxAge);
      }
      this.statsMaxAge = maxAge;
      return this;
    }

    public GuisePoolMetrics build() {
      return new GuisePoolMetrics(this);
    }

    private static int nonNegative(int limit, String name) {
      if (limit < 0) {
        throw new IllegalArgumentException(name + " must be at least 0: " + limit);
      }
      return limit;
    }
  }
}
