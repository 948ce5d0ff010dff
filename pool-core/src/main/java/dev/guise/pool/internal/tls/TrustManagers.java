package dev.guise.pool.internal.tls;

import dev.guise.api.TrustPolicy;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** JDK trust managers for a {@link TrustPolicy}. */
final class TrustManagers {
  private TrustManagers() {}

  /**
   * A trust manager that accepts a chain when the JDK's trust store (if the policy uses it) or the
   * policy's extra anchors accept it. Each delegate also checks the host name when the socket asks
   * for HTTPS endpoint identification, so adding anchors never weakens the name check.
   */
  static X509ExtendedTrustManager forPolicy(TrustPolicy policy) throws GeneralSecurityException {
    if (policy.verificationDisabled()) {
      return new TrustEverything();
    }
    List<X509ExtendedTrustManager> delegates = new ArrayList<>();
    if (policy.useSystemTrustStore()) {
      delegates.add(fromKeyStore(null));
    }
    if (!policy.extraAnchors().isEmpty()) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        ks.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      int i = 0;
      for (X509Certificate anchor : policy.extraAnchors()) {
        ks.setCertificateEntry("anchor-" + i++, anchor);
      }
      delegates.add(fromKeyStore(ks));
    }
    return new AnyOf(delegates);
  }

  private static X509ExtendedTrustManager fromKeyStore(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
  }

  /** Accepts what any delegate accepts; reports the first delegate's rejection otherwise. */
  private static final class AnyOf extends X509ExtendedTrustManager {
    private final List<X509ExtendedTrustManager> delegates;

    AnyOf(List<X509ExtendedTrustManager> delegates) {
      this.delegates = List.copyOf(delegates);
    }

    private interface Check {
      void run(X509ExtendedTrustManager tm) throws CertificateException;
    }

    private void any(Check check) throws CertificateException {
      CertificateException first = null;
      for (X509ExtendedTrustManager tm : delegates) {
        try {
          check.run(tm);
          return;
        } catch (CertificateException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      throw first != null ? first : new CertificateException("no trust anchors configured");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      any(tm -> tm.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      any(tm -> tm.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      any(tm -> tm.checkServerTrusted(chain, authType));
    }

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
      List<X509Certificate> all = new ArrayList<>();
      for (X509ExtendedTrustManager tm : delegates) {
        all.addAll(List.of(tm.getAcceptedIssuers()));
      }
      return all.toArray(X509Certificate[]::new);
    }
  }

  /** Only for {@link TrustPolicy#dangerouslyTrustAnyCertificate()}. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
      throw new CertificateException("client certificates are not checked by a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
      throw new CertificateException("client certificates are not checked by a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
      throw new CertificateException("client certificates are not checked by a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
