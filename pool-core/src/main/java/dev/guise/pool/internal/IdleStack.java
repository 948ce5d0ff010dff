package dev.guise.pool.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A route's idle HTTP/1.1 connections, most recently idled last, behind a lock of its own that no
 * other lock is taken under (so it nests inside the host lock, and outside it, without an order to
 * keep). Removing a connection ({@link #pollLast} or {@link #remove} returning it) makes the caller
 * its only owner: the ownership rule of {@link RoutePool}.
 *
 * <p>Why a lock and not a lock-free deque: under many more leasing threads than cores, every
 * compare-and-set that loses on the deque's single end is retried at once, and the retries are the
 * work (the sixth session's profile of 64 threads on two cores: 45 % of the time in {@code
 * ConcurrentLinkedDeque}). A lock parks the losers instead, and the holder finishes alone. An
 * uncontended lock costs one compare-and-set, as the deque's pop did.
 */
final class IdleStack {
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<PooledConnection> stack = new ArrayDeque<>(4);

  /** Pushes {@code c}, which the caller owns, as the most recently idled. */
  void addLast(PooledConnection c) {
    lock.lock();
    try {
      stack.addLast(c);
    } finally {
      lock.unlock();
    }
  }

  /** Takes the most recently idled connection, which the caller then owns; null when none. */
  PooledConnection pollLast() {
    lock.lock();
    try {
      return stack.pollLast();
    } finally {
      lock.unlock();
    }
  }

  /** Takes {@code c} off the stack; true when it was there, and the caller then owns it. */
  boolean remove(PooledConnection c) {
    lock.lock();
    try {
      return stack.removeLastOccurrence(c);
    } finally {
      lock.unlock();
    }
  }
}
