package dev.guise.pool.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Paces a warm-up's connections to a host by its TLS tickets, so that each connection after the
 * first can resume. A browser uses a TLS 1.3 ticket once and every connection, resumed or not,
 * receives new ones; so a connection that has read its tickets hands a credit on ({@link
 * #ticketsIn}), and the next connection starts when it takes one ({@link #awaitTicket}). A server
 * that sends one ticket per handshake (the JDK's) thus gets a relay, one resuming connection after
 * the other; one that sends more gets that many at once.
 *
 * <p>Bounded, so warm-up is never much slower than opening everything at once: a connection waits
 * for a credit at most {@code patience} (the first connection's time: a ticket slower than a full
 * handshake is not worth waiting for), and once a wait runs out, or {@code budget} has passed since
 * the relay began, the relay is over and every connection left starts at once, with a full
 * handshake where no ticket is left. Warm-up then took at most about {@code budget} plus one
 * connection's time longer than without the relay.
 *
 * <p>Thread-safe: the warm-up's thread waits, connection threads hand credits on.
 */
public final class TicketRelay {
  private final Semaphore credits;
  private final long patienceNanos;
  private final long endsAt;
  private volatile boolean over;

  /**
   * @param credits the tickets known to be held now (the first connection's: at least one)
   * @param patienceNanos the longest one connection waits for a credit
   * @param budgetNanos how long the relay may pace connections at all, from now
   */
  public TicketRelay(int credits, long patienceNanos, long budgetNanos) {
    this.credits = new Semaphore(credits);
    this.patienceNanos = patienceNanos;
    this.endsAt = System.nanoTime() + budgetNanos;
  }

  /**
   * Waits until a ticket is likely held for the next connection; true when it took a credit, false
   * when the relay is over (the connection may still find a ticket, or handshake in full).
   */
  public boolean awaitTicket() throws InterruptedException {
    if (over) {
      return false;
    }
    long left = Math.min(patienceNanos, endsAt - System.nanoTime());
    if (left > 0 && credits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
      return true;
    }
    over = true;
    return false;
  }

  /** A connection has read the tickets its handshake brought: the next one may resume. */
  public void ticketsIn() {
    credits.release();
  }

  /** Whether the relay is over: no connection waits any more. */
  public boolean isOver() {
    return over;
  }
}
