package dev.guise.pool.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Paces a warm-up's connections to a host by the TLS tickets they bring in, so that the connections
 * after the first resume. Browsers use a TLS 1.3 ticket once and keep at most two per host, and
 * every connection, resumed or not, receives new ones: OpenSSL and BoringSSL send two per
 * handshake, the JDK one.
 *
 * <p>Warm-up opens its IPs on workers, each one IP after another, so a worker's next connection
 * takes the ticket its last one brought in. A ticket beyond that one is a credit ({@link
 * #ticketsIn}): it lets one more worker start ({@link #awaitTicket}). So against a server that
 * sends two tickets the workers double with each round of connections, up to the warm-up's
 * parallelism, and every connection but the first resumes. One that sends one ticket leaves a
 * single worker, until a wait for a credit runs out.
 *
 * <p>Bounded, so warm-up is never much slower than opening everything at once: a worker waits for a
 * credit at most {@code patience} (the first connection's time: a ticket slower than a full
 * handshake is not worth waiting for), and once a wait runs out, or {@code budget} has passed since
 * the relay began, the relay is over and the workers left start at once; their first connections
 * handshake in full where no ticket is left.
 *
 * <p>Thread-safe: the warm-up's thread waits, worker threads hand credits on.
 */
public final class TicketRelay {
  private final Semaphore credits;
  private final long patienceNanos;
  private final long endsAt;
  private volatile boolean over;

  /**
   * @param credits the tickets known to be held now (the first connection's: at least one)
   * @param patienceNanos the longest one worker waits for a credit
   * @param budgetNanos how long the relay may pace workers at all, from now
   */
  public TicketRelay(int credits, long patienceNanos, long budgetNanos) {
    this.credits = new Semaphore(credits);
    this.patienceNanos = patienceNanos;
    this.endsAt = System.nanoTime() + budgetNanos;
  }

  /**
   * Waits until a ticket is likely held for one more worker; true when it took a credit, false when
   * the relay is over (the worker may still find a ticket, or handshake in full).
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

  /**
   * A connection has read its tickets and its worker goes on to the next IP with one of them:
   * {@code spare} are left for more workers (none when zero or less).
   */
  public void ticketsIn(int spare) {
    if (spare > 0) {
      credits.release(spare);
    }
  }

  /** Whether the relay is over: no worker waits any more. */
  public boolean isOver() {
    return over;
  }
}
