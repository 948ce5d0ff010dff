package dev.guise.pool.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A route's idle HTTP/1.1 connections, most recently idled last, behind locks of its own that no
 * other lock is taken under (so it nests inside the host lock, and outside it, without an order to
 * keep). Removing a connection ({@link #pollLast} or {@link #remove} returning it) makes the caller
 * its only owner: the ownership rule of {@link RoutePool}.
 *
 * <p>Why a lock and not a lock-free deque: under many more leasing threads than cores, every
 * compare-and-set that loses on the deque's single end is retried at once, and the retries are the
 * work (the sixth session's profile of 64 threads on two cores: 45 % of the time in {@code
 * ConcurrentLinkedDeque}). A lock parks the losers instead, and the holder finishes alone. An
 * uncontended lock costs one compare-and-set, as the deque's pop did.
 *
 * <p>Why stripes: two threads leasing from one route at once on two cores handed the one lock back
 * and forth, parking and waking each other (the fourteenth session's profile at two threads: 45 %
 * of the samples in the lock's acquire and {@code signalNext}). A stack starts as one stripe; the
 * first time a thread finds it locked, it splits into {@link #STRIPES} stripes for the route's
 * life. Each thread then starts at a stripe of its own (by its id) and takes the first stripe it
 * can lock without waiting; only when every stripe is busy does it wait, at its own. So "most
 * recently idled" holds per stripe, and a thread that idles a connection finds it first. A route
 * that is never contended keeps one stripe and pays nothing more.
 */
final class IdleStack {
  /** Stripes of a contended stack: a power of two, twice the cores, from 2 to 16. */
  static final int STRIPES =
      Integer.highestOneBit(Math.clamp(2L * Runtime.getRuntime().availableProcessors(), 2, 16));

  private static final class Stripe {
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<PooledConnection> stack = new ArrayDeque<>(4);

    /** Pushes {@code c} and lets go of the lock, which the caller holds. */
    void pushAndUnlock(PooledConnection c) {
      try {
        stack.addLast(c);
      } finally {
        lock.unlock();
      }
    }

    /** Pops the most recently idled, or null, and lets go of the lock, which the caller holds. */
    PooledConnection popAndUnlock() {
      try {
        return stack.pollLast();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The one stripe of an uncontended stack, and stripe 0 of a split one. */
  private final Stripe first = new Stripe();

  /**
   * Null until the first contention, then every stripe, {@link #first} at 0; never changes again.
   * Written under {@code first}'s lock, which {@link #remove} holds when it reads it (see there).
   */
  private volatile Stripe[] stripes;

  /** Pushes {@code c}, which the caller owns, as the most recently idled. */
  void addLast(PooledConnection c) {
    // The uncontended case first and alone, small enough to inline where the lease is.
    if (stripes == null && first.lock.tryLock()) {
      first.pushAndUnlock(c);
      return;
    }
    addStriped(c);
  }

  private void addStriped(PooledConnection c) {
    Stripe[] all = striped();
    int home = home(all.length);
    for (int i = 0; i < all.length; i++) {
      Stripe s = all[(home + i) & (all.length - 1)];
      if (s.lock.tryLock()) {
        s.pushAndUnlock(c);
        return;
      }
    }
    Stripe s = all[home];
    s.lock.lock();
    s.pushAndUnlock(c);
  }

  /**
   * Takes the most recently idled connection (of the first stripe that has one, the caller's own
   * first), which the caller then owns; null when every stripe was empty as it looked at it.
   */
  PooledConnection pollLast() {
    if (stripes == null && first.lock.tryLock()) {
      return first.popAndUnlock();
    }
    return pollStriped();
  }

  private PooledConnection pollStriped() {
    Stripe[] all = striped();
    int home = home(all.length);
    boolean skipped = false;
    for (int i = 0; i < all.length; i++) {
      Stripe s = all[(home + i) & (all.length - 1)];
      if (!s.lock.tryLock()) {
        skipped = true;
        continue;
      }
      PooledConnection c = s.popAndUnlock();
      if (c != null) {
        return c;
      }
    }
    if (!skipped) {
      return null;
    }
    // A busy stripe may hold the only idle connection: look at every stripe again, waiting for
    // each, so that null still means none was idle (the locked lease opens a connection on it).
    for (int i = 0; i < all.length; i++) {
      Stripe s = all[(home + i) & (all.length - 1)];
      s.lock.lock();
      PooledConnection c = s.popAndUnlock();
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  /**
   * Takes {@code c} off the stack; true when it was there, and the caller then owns it.
   *
   * <p>The race: a ban or the pool's close sets its flag, then looks here for the connection, while
   * an unlocked release pushes it, then reads the flag (docs/concurrency.md, "Orderings of flags
   * and pushes"). Either the push comes first at the stripe this looks at, or this look's lock of
   * that stripe comes first and the releaser, locking it after, sees the flag. That holds only if
   * this looks at the stripe the push went to: so {@link #stripes} is read under {@code first}'s
   * lock, the lock a split is made under. A split after that read comes after this look at {@code
   * first}, so the push that needed the split sees the flag.
   */
  boolean remove(PooledConnection c) {
    Stripe[] all;
    first.lock.lock();
    try {
      if (first.stack.removeLastOccurrence(c)) {
        return true;
      }
      all = stripes;
    } finally {
      first.lock.unlock();
    }
    if (all == null) {
      return false;
    }
    for (int i = 1; i < all.length; i++) {
      Stripe s = all[i];
      s.lock.lock();
      try {
        if (s.stack.removeLastOccurrence(c)) {
          return true;
        }
      } finally {
        s.lock.unlock();
      }
    }
    return false;
  }

  /** Whether the stack has split into stripes (tests). */
  boolean isStriped() {
    return stripes != null;
  }

  /** The stripes, splitting the stack if this is its first contention. */
  private Stripe[] striped() {
    Stripe[] all = stripes;
    return all != null ? all : split();
  }

  /** Splits the stack on its first contention; waits for {@code first} once, as a lock would. */
  private Stripe[] split() {
    first.lock.lock();
    try {
      Stripe[] all = stripes;
      if (all == null) {
        all = new Stripe[STRIPES];
        all[0] = first;
        for (int i = 1; i < all.length; i++) {
          all[i] = new Stripe();
        }
        stripes = all;
      }
      return all;
    } finally {
      first.lock.unlock();
    }
  }

  /** The calling thread's first stripe: its id, mixed, so consecutive ids spread. */
  private static int home(int stripes) {
    long id = Thread.currentThread().threadId();
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & (stripes - 1);
  }
}
