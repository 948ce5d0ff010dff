package dev.guise.tls.support;

import dev.guise.api.TrustPolicy;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The {@link SSLContext}s of an {@code SSLEngine} engine: one per (trust policy, profile, session
 * scope) while resumption is on, because a context's client session cache is what offers a ticket.
 * The engine creates its {@code SSLEngine}s with the requested host and port (never the pinned IP),
 * so a ticket from one IP of a host is offered to its others, as a browser's is.
 *
 * <p>Keying by profile matters for fingerprinting: a session established while presenting one
 * browser must never be resumed while presenting another, or the ticket links the two "browsers"
 * for the server. Keying by the session scope (the network path: direct, or a proxy exit) matters
 * for the same reason: a ticket obtained through one exit, offered through another, links the two
 * exits. The map is bounded: an overflow drops the least recently used context, and with it only
 * the chance to resume.
 *
 * <p>Thread-safe. Two threads asking for a new key at once may both create a context; one is kept
 * and both get it.
 */
public final class SessionContexts {
  /** Makes a context whose trust is {@code policy}'s ({@link ServerTrust}). */
  @FunctionalInterface
  public interface Factory {
    SSLContext create(TrustPolicy policy) throws GeneralSecurityException;
  }

  private record Key(TrustPolicy policy, String profile, String scope) {}

  /**
   * The most sessions a shared context's client cache keeps, as Chromium's session cache (1,024
   * entries). The JDK's default is 20,480, each holding the server's certificate chain; a crawler
   * meeting many hosts would fill it.
   */
  public static final int MAX_SESSIONS = 1024;

  private final Factory factory;
  private final Map<Key, SSLContext> contexts;

  /**
   * @param maxContexts the most contexts kept
   */
  public SessionContexts(int maxContexts, Factory factory) {
    if (maxContexts < 1) {
      throw new IllegalArgumentException("maxContexts < 1: " + maxContexts);
    }
    this.factory = Objects.requireNonNull(factory, "factory");
    this.contexts =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, SSLContext> eldest) {
            return size() > maxContexts;
          }
        };
  }

  /** The context, shared by every connection of this policy, profile and scope. */
  public SSLContext forScope(TrustPolicy policy, String profile, String scope)
      throws GeneralSecurityException {
    Key key = new Key(policy, profile, scope);
    synchronized (contexts) {
      SSLContext cached = contexts.get(key);
      if (cached != null) {
        return cached;
      }
    }
    // Made outside the lock, so a slow creation holds up no other key.
    SSLContext context = factory.create(policy);
    context.getClientSessionContext().setSessionCacheSize(MAX_SESSIONS);
    synchronized (contexts) {
      SSLContext raced = contexts.putIfAbsent(key, context);
      return raced != null ? raced : context;
    }
  }

  /**
   * A context of its own for one connection with resumption off: its session cache starts empty
   * (nothing is offered) and goes with the connection (no ticket is kept). Neither the JDK nor
   * Conscrypt has a switch that stops a context's cache from offering the sessions it holds, so the
   * cache is not shared.
   */
  public SSLContext withoutResumption(TrustPolicy policy) throws GeneralSecurityException {
    return factory.create(policy);
  }

  /** The number of contexts kept (tests). */
  int size() {
    synchronized (contexts) {
      return contexts.size();
    }
  }
}
