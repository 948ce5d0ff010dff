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
 * single worker resuming its way through the IPs until the relay is over.
 *
 * <p>Bounded, so warm-up is never much slower than opening everything at once: once no ticket has
 * come in for {@code patience} (the first connection's time: a ticket slower than a full handshake
 * is not worth waiting for), or {@code budget} has passed since the relay began, the relay is over
 * and the workers left start at once; their first connections handshake in full where no ticket is
 * left.
 *
 * <p>Thread-safe: the warm-up's thread waits, worker threads hand tickets in.
 */
public final class TicketRelay {
  private final Semaphore credits;
  private final long patienceNanos;
  private final long endsAt;
  private volatile long lastTicketAt;
  private volatile boolean over;

  /**
   * @param credits the tickets known to be held now beyond none (the first connection's: at least
   *     one)
   * @param patienceNanos how long the relay goes on without a ticket coming in
   * @param budgetNanos how long the relay may pace workers at all, from now
   */
  public TicketRelay(int credits, long patienceNanos, long budgetNanos) {
    this.credits = new Semaphore(credits);
    this.patienceNanos = patienceNanos;
    long now = System.nanoTime();
    this.endsAt = now + budgetNanos;
    this.lastTicketAt = now;
  }

  /**
   * Waits until a ticket is likely held for one more worker; true when it took a credit, false when
   * the relay is over (the worker may still find a ticket, or handshake in full). While tickets
   * keep coming in, if none to spare, the wait goes on, up to the budget.
   */
  public boolean awaitTicket() throws InterruptedException {
    while (!over) {
      long now = System.nanoTime();
      long left = Math.min(lastTicketAt + patienceNanos - now, endsAt - now);
      if (left <= 0) {
        over = true;
      } else if (credits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        return !over; // over: the credit was end()'s wake-up
      }
      // else: no credit meanwhile; go round, as a ticket may have come in and renewed the patience
    }
    return false;
  }

  /**
   * A worker's connection has read {@code tickets}, and the worker goes on to its next IP with one
   * of them: the rest are credits for more workers.
   */
  public void ticketsIn(int tickets) {
    if (tickets > 0) {
      lastTicketAt = System.nanoTime();
      if (tickets > 1) {
        credits.release(tickets - 1);
      }
    }
  }

  /** No IP is left to open: the relay is over, and a waiting {@link #awaitTicket} returns. */
  public void end() {
    over = true;
    credits.release();
  }
}
