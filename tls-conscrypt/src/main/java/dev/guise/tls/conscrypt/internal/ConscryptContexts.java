package dev.guise.tls.conscrypt.internal;

import dev.guise.api.TrustPolicy;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.conscrypt.Conscrypt;
import org.conscrypt.OkHostnameVerifier;

/**
 * Conscrypt {@link SSLContext}s, one per {@link TrustPolicy}.
 *
 * <p>Why Conscrypt's own trust manager: in TLS 1.3 Conscrypt passes the auth type
 * {@code "GENERIC"}, which the JDK's PKIX trust manager rejects. Conscrypt's {@code PKIX} trust
 * manager accepts it, checks the chain against the anchors it was given and, when the engine asks
 * for the {@code HTTPS} endpoint identification, the SANs against the engine's peer host (the host
 * name the engine was created for, never the IP the socket is connected to). The host name verifier is set
 * explicitly to Conscrypt's strict RFC 2818/6125 one (SANs only, no CN fallback) rather than
 * relying on Conscrypt's process-wide default, which any code may replace.
 *
 * <p>A context is kept per (policy, profile) because building one with the JDK's ~150 anchors
 * costs milliseconds, and because its client session cache is what makes resumption possible.
 * Keying by profile too matters for fingerprinting: a session established while presenting one
 * browser must never be resumed while presenting another, or the resumption ticket would link the
 * two "browsers" for the server. The cache is bounded (pairs are few in practice; an overflow drops
 * the oldest).
 */
final class ConscryptContexts {
  private ConscryptContexts() {}

  private static final int MAX_CONTEXTS = 16;

  private record Key(TrustPolicy policy, String profile) {}

  private static final Map<Key, SSLContext> CONTEXTS =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SSLContext> eldest) {
          return size() > MAX_CONTEXTS;
        }
      };

  static SSLContext forPolicyAndProfile(TrustPolicy policy, String profile)
      throws GeneralSecurityException {
    Key key = new Key(policy, profile);
    synchronized (CONTEXTS) {
      SSLContext cached = CONTEXTS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    SSLContext context = SSLContext.getInstance("TLS", ConscryptRuntime.provider());
    context.init(null, new TrustManager[] {trustManager(policy)}, null);
    synchronized (CONTEXTS) {
      SSLContext raced = CONTEXTS.putIfAbsent(key, context);
      return raced != null ? raced : context;
    }
  }

  private static X509TrustManager trustManager(TrustPolicy policy) throws GeneralSecurityException {
    if (policy.verificationDisabled()) {
      return new TrustEverything();
    }
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    try {
      anchors.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty key store", e);
    }
    int i = 0;
    if (policy.useSystemTrustStore()) {
      for (X509Certificate anchor : jdkDefaultAnchors()) {
        anchors.setCertificateEntry("system-" + i++, anchor);
      }
    }
    for (X509Certificate anchor : policy.extraAnchors()) {
      anchors.setCertificateEntry("extra-" + i++, anchor);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", ConscryptRuntime.provider());
    factory.init(anchors);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        Conscrypt.setHostnameVerifier(tm, OkHostnameVerifier.strictInstance());
        return x509;
      }
    }
    throw new GeneralSecurityException("Conscrypt offers no X509TrustManager");
  }

  /** The anchors of the JDK's default trust store (cacerts, or javax.net.ssl.trustStore). */
  private static X509Certificate[] jdkDefaultAnchors() throws GeneralSecurityException {
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    for (TrustManager tm : jdk.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    throw new GeneralSecurityException("the JDK offers no X509TrustManager");
  }

  /** Only for {@link TrustPolicy#dangerouslyTrustAnyCertificate()}. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a client does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a client does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a client does not check client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
