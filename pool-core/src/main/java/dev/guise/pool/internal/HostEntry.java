package dev.guise.pool.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One host's IPs and connections. One lock guards all of it; critical sections only move records
 * between lists and never do I/O, so the lock is held for microseconds. Waiters for a connection
 * wait on {@link #changed}, signalled whenever capacity may have appeared.
 */
final class HostEntry {
  final HostKey key;
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();

  // Guarded by lock.
  final Map<InetAddress, IpSlot> ips = new LinkedHashMap<>();
  final List<InetAddress> order = new ArrayList<>();
  int cursor;
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

  /** One IP's connections and books. Guarded by the host lock. */
  static final class IpSlot {
    final InetAddress ip;
    final List<PooledConnection> connections = new ArrayList<>();
    /**
     * HTTP/1.1 connections that went idle, most recent last: a lease pops one in O(1), and the
     * warmest connection serves first (as the peers' LIFO pools do). Entries can be stale (a
     * connection leased another way, or closed meanwhile); a pop checks before it takes.
     */
    final java.util.ArrayDeque<PooledConnection> idle = new java.util.ArrayDeque<>();
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
