package dev.guise.pool.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One host's IPs and connections. One lock guards all of it except the idle stacks of HTTP/1.1
 * connections, which leases and releases of pinned requests use without it (see {@link
 * IpSlot#idle}); critical sections only move records between lists and never do I/O, so the lock
 * is held for microseconds. Waiters for a connection wait on {@link #changed}, signalled whenever
 * capacity may have appeared.
 */
final class HostEntry {
  final HostKey key;
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();

  /** Every IP's slot. Written under the lock; read without it by the lock-free lease. */
  final Map<InetAddress, IpSlot> ips = new ConcurrentHashMap<>();
  /**
   * Callers waiting on {@link #changed}. Written under the lock; a lock-free release reads it after
   * pushing a connection and signals only when someone waits.
   */
  volatile int waiters;

  /** The IPs in the order first given; only grows. Written under the lock, read without it. */
  final List<InetAddress> order = new CopyOnWriteArrayList<>();
  /**
   * The round-robin position in {@link #order}. Written under the lock, and by the lock-free lease
   * that took an idle connection at the IP it points to; a lost update between the two only
   * bends the rotation for one request.
   */
  volatile int cursor;

  // Guarded by lock.
  int connections; // open and connecting, for the per-host limit

  HostEntry(HostKey key) {
    this.key = key;
  }

  /** The slot of {@code ip}, created on first use. Lock held. */
  IpSlot slot(InetAddress ip) {
    IpSlot s = ips.get(ip);
    if (s == null) {
      s = new IpSlot(ip);
      ips.put(ip, s);
      order.add(ip);
    }
    return s;
  }

  /** One IP's connections and books. Guarded by the host lock, except {@link #idle}. */
  static final class IpSlot {
    final InetAddress ip;
    final List<PooledConnection> connections = new ArrayList<>();
    /**
     * The idle HTTP/1.1 connections, most recent last: a lease pops one in O(1), and the warmest
     * connection serves first (as the peers' LIFO pools do). Lock-free, and the ownership rule of
     * HTTP/1.1 connections: an idle one is on this stack exactly once, and whoever removes it
     * ({@code pollLast} or {@code remove} returning it) is its only owner — a lease, the health
     * check, a ban or the pool's close. Nobody takes an idle HTTP/1.1 connection any other way.
     */
    final ConcurrentLinkedDeque<PooledConnection> idle = new ConcurrentLinkedDeque<>();
    int connecting;
    long opened;
    long closed;
    long failedOpens;
    /** The protocol the last connection to this IP negotiated; null until one did. */
    dev.guise.api.HttpProtocol protocol;

    IpSlot(InetAddress ip) {
      this.ip = ip;
    }

    int count() {
      return connections.size() + connecting;
    }
  }
}
