package dev.guise.tls.conscrypt.internal;

import dev.guise.api.TrustPolicy;
import dev.guise.tls.support.ServerTrust;
import dev.guise.tls.support.SessionContexts;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Conscrypt {@link SSLContext}s, kept per (policy, profile, scope) while resumption is on ({@link
 * SessionContexts} says why).
 *
 * <p>Trust: the one trust manager every Guise engine uses ({@link ServerTrust}): the chain by the
 * JDK's PKIX against the policy's anchors, then the name of the engine's peer host (the host the
 * engine was created for, the SNI host, never the IP the socket is connected to) by RFC 6125. It
 * takes Conscrypt's TLS 1.3 auth type {@code "GENERIC"}, which the JDK's PKIX trust manager alone
 * would reject.
 */
final class ConscryptContexts {
  private ConscryptContexts() {}

  private static final SessionContexts CONTEXTS =
      new SessionContexts(16, ConscryptContexts::create);

  static SSLContext forScope(TrustPolicy policy, String profile, String scope)
      throws GeneralSecurityException {
    return CONTEXTS.forScope(policy, profile, scope);
  }

  static SSLContext withoutResumption(TrustPolicy policy) throws GeneralSecurityException {
    return CONTEXTS.withoutResumption(policy);
  }

  private static SSLContext create(TrustPolicy policy) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS", ConscryptRuntime.provider());
    context.init(null, new TrustManager[] {ServerTrust.forPolicy(policy).trustManager()}, null);
    return context;
  }
}
