package dev.guise.tls.conscrypt.internal;

import dev.guise.api.TrustPolicy;
import dev.guise.tls.support.ServerTrust;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Conscrypt {@link SSLContext}s, one per {@link TrustPolicy}.
 *
 * <p>Trust: the one trust manager every Guise engine uses ({@link ServerTrust}): the chain by the
 * JDK's PKIX against the policy's anchors, then the name of the engine's peer host (the host the
 * engine was created for, the SNI host, never the IP the socket is connected to) by RFC 6125. It
 * takes Conscrypt's TLS 1.3 auth type {@code "GENERIC"}, which the JDK's PKIX trust manager alone
 * would reject.
 *
 * <p>A context is kept per (policy, profile) because its client session cache is what makes
 * resumption possible. Keying by profile too matters for fingerprinting: a session established
 * while presenting one browser must never be resumed while presenting another, or the resumption
 * ticket would link the two "browsers" for the server. Keying by the request's session scope (the
 * network path: direct, or a proxy exit) matters for the same reason: a ticket obtained through one
 * exit, offered through another, links the two exits. The cache is bounded (an overflow drops the
 * least recently used context, and with it only the chance to resume).
 */
final class ConscryptContexts {
  private ConscryptContexts() {}

  private static final int MAX_CONTEXTS = 16;

  private record Key(TrustPolicy policy, String profile, String scope) {}

  private static final Map<Key, SSLContext> CONTEXTS =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SSLContext> eldest) {
          return size() > MAX_CONTEXTS;
        }
      };

  static SSLContext forScope(TrustPolicy policy, String profile, String scope)
      throws GeneralSecurityException {
    Key key = new Key(policy, profile, scope);
    synchronized (CONTEXTS) {
      SSLContext cached = CONTEXTS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    SSLContext context = create(policy);
    synchronized (CONTEXTS) {
      SSLContext raced = CONTEXTS.putIfAbsent(key, context);
      return raced != null ? raced : context;
    }
  }

  /**
   * A context of its own for one connection with resumption off: its session cache starts empty
   * (nothing is offered) and goes with the connection (no ticket is kept). Conscrypt has no switch
   * that stops a context's cache from offering the sessions it holds, so the cache is not shared.
   */
  static SSLContext withoutResumption(TrustPolicy policy) throws GeneralSecurityException {
    return create(policy);
  }

  private static SSLContext create(TrustPolicy policy) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS", ConscryptRuntime.provider());
    context.init(null, new TrustManager[] {ServerTrust.forPolicy(policy).trustManager()}, null);
    return context;
  }
}
