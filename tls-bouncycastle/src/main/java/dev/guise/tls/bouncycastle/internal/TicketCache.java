package dev.guise.tls.bouncycastle.internal;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's TLS 1.3 session tickets, kept as the profile's browser keeps them.
 *
 * <ul>
 *   <li><b>Key</b>: profile, session scope (direct or a proxy exit), host and port, never the IP: a
 *       browser keys its session cache by host and port, so a ticket one IP of a host issued is
 *       offered to its other IPs (the servers behind one name share ticket keys, or reject it and a
 *       full handshake follows). A ticket never crosses profiles or scopes: it would link two
 *       browsers or two exits for the server.
 *   <li><b>Single use</b>: {@link #take} removes the ticket it returns. Chromium's client session
 *       cache holds up to two sessions per key and removes a TLS 1.3 session when it is looked up
 *       (BoringSSL marks TLS 1.3 sessions single-use; RFC 8446 C.4 recommends it); NSS also uses a
 *       TLS 1.3 ticket once. A server that sends two tickets per handshake (OpenSSL does) thus
 *       feeds two later connections.
 *   <li><b>Lifetime</b>: the server's ticket_lifetime, capped at RFC 8446's seven days, against the
 *       injected clock; an expired ticket is dropped when met.
 *   <li><b>Bounds</b>: a ticket over {@link #MAX_TICKET_BYTES} is not stored; {@link #PER_KEY}
 *       tickets per key (a flood of tickets replaces the oldest), {@link #MAX_KEYS} keys (the least
 *       recently used key goes). Memory is therefore bounded whatever servers send.
 * </ul>
 *
 * <p>Thread-safe: one lock guards the map; tickets arrive on reading threads and are taken by
 * connecting threads.
 */
final class TicketCache {
  /**
   * The largest ticket kept. RFC 8446 allows 65535 bytes; tickets seen in the wild are 100 to 2000
   * bytes (OpenSSL's are 192 to 208). A larger ticket would push the resumed ClientHello past one
   * 16 KiB record, which no browser hello needs; such a ticket is dropped, as if never sent.
   */
  static final int MAX_TICKET_BYTES = 8192;

  static final int PER_KEY = 2;
  static final int MAX_KEYS = 1024;

  /** RFC 8446 4.6.1: servers MUST NOT use a lifetime over seven days; clients cap it too. */
  static final long MAX_LIFETIME_MILLIS = 7L * 24 * 3600 * 1000;

  /** Where a ticket may be offered again. */
  record Key(String profile, String scope, String host, int port) {}

  private final InstantSource clock;
  private final Map<Key, Deque<ResumptionTicket>> tickets =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Deque<ResumptionTicket>> eldest) {
          return size() > MAX_KEYS;
        }
      };

  TicketCache(InstantSource clock) {
    this.clock = clock;
  }

  long nowMillis() {
    return clock.millis();
  }

  /** Keeps a ticket, unless it is too large or already expired; true when kept. */
  boolean put(Key key, ResumptionTicket ticket) {
    if (ticket.identity().length > MAX_TICKET_BYTES || ticket.identity().length == 0) {
      return false;
    }
    if (ticket.expiresMillis() <= clock.millis()) {
      return false;
    }
    synchronized (tickets) {
      Deque<ResumptionTicket> queue = tickets.computeIfAbsent(key, k -> new ArrayDeque<>(PER_KEY));
      while (queue.size() >= PER_KEY) {
        queue.removeFirst(); // the oldest goes: a newer ticket lives longer
      }
      queue.addLast(ticket);
      return true;
    }
  }

  /** The newest live ticket for {@code key}, removed (tickets are used once). */
  Optional<ResumptionTicket> take(Key key) {
    long now = clock.millis();
    synchronized (tickets) {
      Deque<ResumptionTicket> queue = tickets.get(key);
      if (queue == null) {
        return Optional.empty();
      }
      queue.removeIf(t -> t.expiresMillis() <= now);
      ResumptionTicket newest = queue.pollLast();
      if (queue.isEmpty()) {
        tickets.remove(key);
      }
      return Optional.ofNullable(newest);
    }
  }

  /** How many tickets are held (all keys), for tests and bounds checks. */
  int size() {
    synchronized (tickets) {
      int n = 0;
      for (Iterator<Deque<ResumptionTicket>> it = tickets.values().iterator(); it.hasNext(); ) {
        n += it.next().size();
      }
      return n;
    }
  }
}
