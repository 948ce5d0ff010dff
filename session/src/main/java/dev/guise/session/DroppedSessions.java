package dev.guise.session;

import dev.guise.pool.GuiseClient;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the identities of sessions that were dropped without {@link Session#close()}: each session
 * of its own identity is watched by a phantom reference from its first connection until it is
 * closed, and every new session first closes the identities of those collected since. No thread of
 * its own (a cleaner thread would outlive every pool and show up as a leak to whoever counts
 * threads); the cost is that a dropped session's connections wait for the next session, or the
 * pool's idle timeout, whichever comes first.
 *
 * <p>Nothing here keeps a client alive: a closed session is no longer watched at all, and a watch
 * holds its client weakly. When the client is collected together with the dropped session (nobody
 * kept either), nobody can send as the identity again and there is nothing to call: its connections
 * are closed by the pool's idle timeout, as every idle connection is, or with the pool.
 */
final class DroppedSessions {
  private static final ReferenceQueue<Session> COLLECTED = new ReferenceQueue<>();

  /** The watches themselves, kept reachable until their session is closed or collected. */
  private static final Set<Watch> WATCHED = ConcurrentHashMap.newKeySet();

  private DroppedSessions() {}

  /** A session's identity, to close once the session is unreachable. Holds no session. */
  static final class Watch extends PhantomReference<Session> {
    private final WeakReference<GuiseClient> client;
    private final String identity;

    private Watch(Session session, GuiseClient client, String identity) {
      super(session, COLLECTED);
      this.client = new WeakReference<>(client);
      this.identity = identity;
    }
  }

  static Watch watch(Session session, GuiseClient client, String identity) {
    Watch w = new Watch(session, client, identity);
    WATCHED.add(w);
    return w;
  }

  /**
   * Stops watching: the session was closed. The watch is cleared, so it is never enqueued, and
   * removed, so it is unreachable and nothing of it stays behind.
   */
  static void unwatch(Watch w) {
    WATCHED.remove(w);
    w.clear();
  }

  /** Closes the identities of the sessions collected so far. Cheap when there are none. */
  static void expunge() {
    for (Reference<? extends Session> r; (r = COLLECTED.poll()) != null; ) {
      Watch w = (Watch) r;
      // Only the thread that removes the watch closes the identity: a watch that close() removed
      // first (the session's last use came before close() returned, so the collector may already
      // have enqueued it) is skipped rather than closed twice.
      if (WATCHED.remove(w)) {
        GuiseClient client = w.client.get();
        if (client != null) {
          client.closeIdentity(w.identity);
        }
      }
    }
  }

  /** Whether {@code w} is watched (its session live, or collected and not yet expunged); tests. */
  static boolean isWatched(Watch w) {
    return WATCHED.contains(w);
  }
}
