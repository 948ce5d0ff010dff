package dev.guise.session;

import dev.guise.pool.GuiseClient;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the identities of sessions that were dropped without {@link Session#close()}: each session
 * of its own identity is watched by a phantom reference, and every new session first closes the
 * identities of those collected since. No thread of its own (a cleaner thread would outlive every
 * pool and show up as a leak to whoever counts threads); the cost is that a dropped session's
 * connections wait for the next session, or the pool's idle timeout, whichever comes first.
 */
final class DroppedSessions {
  private static final ReferenceQueue<Session> COLLECTED = new ReferenceQueue<>();

  /** The watches themselves, kept reachable until their session is collected and handled. */
  private static final Set<Watch> WATCHED = ConcurrentHashMap.newKeySet();

  private DroppedSessions() {}

  /** A session's identity, to close once the session is unreachable. Holds no session. */
  private static final class Watch extends PhantomReference<Session> {
    final GuiseClient client;
    final String identity;

    Watch(Session session, GuiseClient client, String identity) {
      super(session, COLLECTED);
      this.client = client;
      this.identity = identity;
    }
  }

  static void watch(Session session, GuiseClient client, String identity) {
    WATCHED.add(new Watch(session, client, identity));
  }

  /** Closes the identities of the sessions collected so far. Cheap when there are none. */
  static void expunge() {
    for (Reference<? extends Session> r; (r = COLLECTED.poll()) != null; ) {
      Watch w = (Watch) r;
      WATCHED.remove(w);
      w.client.closeIdentity(w.identity);
    }
  }

  /** How many sessions are watched (live, or collected and not yet expunged); for tests. */
  static int watched() {
    return WATCHED.size();
  }
}
