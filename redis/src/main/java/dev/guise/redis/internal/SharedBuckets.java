package dev.guise.redis.internal;

import dev.guise.pool.fleet.RateLimit;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The per-host token buckets the fleet shares, drawn on without waiting on Redis: each process
 * keeps a small local share of tokens, fetched ahead from the shared bucket ({@code take.lua}) in
 * batches of about {@link #BATCH} of the rate, and a caller takes from that share. When the share
 * is empty one fetch is sent and the caller is told to come back shortly. While Redis is down the
 * process limits itself alone to the same rate with a local bucket.
 *
 * <p>Why this holds the fleet's rate: every token a process spends came out of the one shared
 * bucket, so the fleet never spends more than the bucket gives (its rate, plus one burst at the
 * start); a share fetched and not spent is lost, which can only lower the rate. A batch is at most
 * 50 ms of the rate, so a process that stops needing tokens wastes little.
 *
 * <p>A share not drawn on for a second, and for the time one token takes to come in, is forgotten
 * (a sweep at most once a second, run by the callers): a process meeting ever new hosts keeps only
 * the shares in use. Forgetting loses the tokens it held, which again can only lower the rate, and
 * its local bucket, which by then holds at least the one token a new share starts with.
 */
final class SharedBuckets {
  static final double BATCH = 0.05;

  private final RedisLink link;
  private final Keys keys;
  private final LongSupplier nanoTime;
  private final Map<String, Share> shares = new ConcurrentHashMap<>();

  static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

  /** When the next sweep is due (the nano time); claimed by one caller with a CAS. */
  private final AtomicLong nextSweep;

  SharedBuckets(RedisLink link, Keys keys, LongSupplier nanoTime) {
    this.link = link;
    this.keys = keys;
    this.nanoTime = nanoTime;
    this.nextSweep = new AtomicLong(nanoTime.getAsLong() + SWEEP_EVERY_NANOS);
  }

  Duration take(String host, RateLimit limit) {
    long now = nanoTime.getAsLong();
    sweep(now);
    Duration[] wait = new Duration[1];
    // Drawn inside the map's computation, so the sweep cannot forget the share in between.
    Share s =
        shares.compute(
            host,
            (h, old) -> {
              Share share = old != null ? old : new Share();
              wait[0] = share.draw(limit, now, link.up());
              return share;
            });
    if (wait[0] != null) {
      return wait[0];
    }
    fetch(host, s, limit);
    // A fetch on loopback takes well under a millisecond: come back in one.
    return Duration.ofMillis(1);
  }

  /** Forgets the shares not drawn on for a while (see the class comment), at most once a second. */
  private void sweep(long now) {
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
      return;
    }
    for (String host : shares.keySet()) {
      shares.computeIfPresent(host, (h, s) -> s.forgettable(now) ? null : s);
    }
  }

  /** Shares kept now (tests). */
  int sharesKept() {
    return shares.size();
  }

  private void fetch(String host, Share s, RateLimit limit) {
    int want = (int) Math.min(limit.burst(), Math.max(1, Math.floor(limit.perSecond() * BATCH)));
    link.<Long>run(
            c ->
                c.eval(
                    Scripts.TAKE,
                    ScriptOutputType.INTEGER,
                    new String[] {keys.bucket(host)},
                    Double.toString(limit.perSecond()),
                    Integer.toString(limit.burst()),
                    Integer.toString(want)))
        .whenComplete(
            (granted, failure) -> {
              long now = nanoTime.getAsLong();
              synchronized (s) {
                s.fetching = false;
                if (failure != null || granted == null || granted <= 0) {
                  // Empty (or Redis failed: the next call falls back if it is down): ask again
                  // when one token should have come in.
                  s.nextFetch = now + (long) (1e9 / limit.perSecond());
                } else {
                  s.tokens += granted.intValue();
                  s.nextFetch = now;
                }
              }
            });
  }

  /** One host's share; its own monitor guards it. */
  private static final class Share {
    int tokens;
    boolean fetching;
    long nextFetch;
    // The local bucket, used while Redis is down.
    double localTokens;
    long localSince = Long.MIN_VALUE;
    // The last draw, for the sweep.
    long drawnAt;
    double perSecond;

    /** A token (ZERO), how long to wait, or null: the caller fetches (marked as fetching). */
    synchronized Duration draw(RateLimit limit, long now, boolean redisUp) {
      drawnAt = now;
      perSecond = limit.perSecond();
      if (tokens > 0) {
        tokens--;
        return Duration.ZERO;
      }
      if (!redisUp) {
        return local(limit, now);
      }
      localSince = Long.MIN_VALUE; // back on the shared bucket: the local one starts afresh
      if (fetching || now < nextFetch) {
        return Duration.ofNanos(Math.max(100_000, nextFetch - now));
      }
      fetching = true;
      return null;
    }

    /**
     * Not fetching, and not drawn on for a second and the time one token takes: its local bucket
     * holds at least a token again, as much as a new share's.
     */
    synchronized boolean forgettable(long now) {
      long quiet = Math.max(SWEEP_EVERY_NANOS, (long) Math.ceil(1e9 / perSecond));
      return !fetching && now - drawnAt >= quiet;
    }

    Duration local(RateLimit limit, long now) {
      if (localSince == Long.MIN_VALUE) {
        // Starts with one token, not a full burst: the fleet may have spent the burst already.
        localTokens = 1;
        localSince = now;
      } else {
        localTokens =
            Math.min(limit.burst(), localTokens + (now - localSince) / 1e9 * limit.perSecond());
        localSince = now;
      }
      if (localTokens >= 1) {
        localTokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - localTokens) / limit.perSecond() * 1e9));
    }
  }
}
