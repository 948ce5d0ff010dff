package dev.guise.pool.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The state a fleet of crawler processes shares: bans, strikes, allow and deny entries, and a
 * request rate limit per host. A pool keeps all of it here; with a shared store (Redis) what one
 * process learns, every process uses.
 *
 * <h2>The contract</h2>
 *
 * <ul>
 *   <li><b>Never blocks the caller.</b> Every method is called from the request path, by many
 *       threads at once. Reads answer from the store's own memory (a shared store keeps a local
 *       copy, filled at start and kept up to date by change notification); writes apply to that
 *       copy at once and reach the shared backend behind the caller's back (write-behind). No
 *       method waits on the network or on a lock held across I/O.
 *   <li><b>Never throws for the backend.</b> A backend that is slow, down or refusing is not the
 *       caller's problem: the store goes on with its local copy, reports the outage once to its
 *       listeners ({@link Listener#storeFailed}), keeps what was written meanwhile, and when the
 *       backend answers again reconciles (sends what it holds, reloads what others wrote) and
 *       reports {@link Listener#storeRecovered}. Only bad arguments (a null) throw.
 *   <li><b>Reports every change to its view.</b> A ban, a lifted ban or a changed access entry,
 *       made here or learned from the fleet, reaches every {@linkplain #addListener listener} once,
 *       after the store's reads already show it. The pool relies on this to close connections to a
 *       newly banned or denied IP at once.
 *   <li><b>Clocks.</b> A ban is in force while the reader's clock is before {@link Ban#until()};
 *       the pool judges that itself. A store may forget a ban once its {@code until} has passed (a
 *       Redis TTL), and strikes {@code ttl} after the last one.
 *   <li><b>Thread-safe</b>, and idempotent where the method says so: two processes banning the same
 *       key at once leave one ban.
 * </ul>
 *
 * <p>Secrets (a backend password) never appear in {@code toString()}, {@link #describe()}, an
 * exception or a listener call.
 *
 * <p>A pool never closes a store it was given: whoever opened it closes it, after the pools using
 * it. The pool's own in-memory store ({@link FleetStores#inMemory}) is the default.
 */
public interface FleetStore extends AutoCloseable {

  /** Bans {@code ban.key()} until {@code ban.until()}, replacing any ban of that key. */
  void putBan(Ban ban);

  /** The ban of {@code key} the store holds, in force or not yet forgotten; empty for none. */
  Optional<Ban> ban(BanKey key);

  /** Every ban the store holds (expired ones it has not yet forgotten included). */
  List<Ban> bans();

  /**
   * Lifts the ban of {@code key}; listeners hear {@link Listener#banLifted}.
   *
   * @return whether there was one
   */
  boolean liftBan(BanKey key);

  /**
   * Lifts every ban, of every host; listeners hear {@link Listener#banLifted} for each.
   *
   * @return how many there were
   */
  int liftAllBans();

  /**
   * Counts one more strike against {@code key} (a refused connection, a rate-limit answer). Strikes
   * are forgotten {@code ttl} after the last one.
   *
   * @return the strikes against {@code key} as this process knows them now, this one included (a
   *     shared store adds what it last heard from the fleet; it need not ask)
   */
  int addStrike(BanKey key, Duration ttl);

  /** Forgets the strikes against {@code key} (after a success, or once it is banned). */
  void clearStrikes(BanKey key);

  /** Every allow and deny entry, of every host and the global ones. */
  List<AccessEntry> accessEntries();

  /**
   * Adds an entry; listeners hear {@link Listener#accessChanged} when it is new.
   *
   * @return whether it is new
   */
  boolean addAccessEntry(AccessEntry entry);

  /**
   * Removes an entry; listeners hear {@link Listener#accessChanged} when there was one.
   *
   * @return whether there was one
   */
  boolean removeAccessEntry(AccessEntry entry);

  /**
   * Takes a token from {@code host}'s bucket, which fills at {@code limit}'s rate up to its burst.
   * Every process of a fleet draws from the same bucket per host; a shared store may hand out a
   * local share of it (tokens fetched ahead in small batches) so long as the fleet's rate holds
   * within 10 % over a minute. When the backend is down, the store limits this process alone to the
   * same rate.
   *
   * @param host the host name, lower case
   * @return {@link Duration#ZERO} when a token was taken; otherwise none was, and this is how long
   *     until one is expected (the caller waits, within its own deadline, and asks again)
   */
  Duration takeToken(String host, RateLimit limit);

  /** Adds a listener; it hears changes from now on. */
  void addListener(Listener listener);

  /** Removes a listener added before; nothing when it was not. */
  void removeListener(Listener listener);

  /**
   * One line for logs and reports: the kind of store and where it keeps its state ({@code memory},
   * {@code redis://:***@127.0.0.1:6379 prefix=fleet1}); never a secret.
   */
  String describe();

  /**
   * Stops the store's background work and lets go of its connections; the state of a shared store
   * stays in the backend. Never throws for the backend.
   */
  @Override
  void close();

  /** Where a change came from. */
  enum Origin {
    /** This store's own caller (this process). */
    LOCAL,
    /** Another process of the fleet, heard through the backend. */
    FLEET
  }

  /**
   * Hears a store's changes. Calls come from the store's threads or the caller's: they must be
   * quick and must not block or call back into blocking work; an exception a listener throws is the
   * store's to log and ignore. Every method has an empty default.
   */
  interface Listener {
    /** {@code ban} is now in the store's view. */
    default void banned(Ban ban, Origin origin) {}

    /** The ban of {@code key} was lifted. */
    default void banLifted(BanKey key, Origin origin) {}

    /** An access entry was added or removed; {@link #accessEntries()} has the new lists. */
    default void accessChanged(AccessEntry entry, boolean added, Origin origin) {}

    /**
     * The backend failed; the store goes on with its local copy. Reported once per outage, not per
     * call. {@code message} says what failed and never holds a secret.
     */
    default void storeFailed(String message, Throwable cause) {}

    /** The backend answers again and the store has reconciled with it. */
    default void storeRecovered() {}
  }
}
