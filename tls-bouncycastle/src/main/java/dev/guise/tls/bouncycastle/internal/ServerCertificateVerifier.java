package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.TrustPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsUtils;

/**
 * Verifies a server's certificate chain the way a browser decides to accept it: a path to a trust
 * anchor (the JDK's trust store and/or the policy's extra anchors) checked by the JDK's PKIX
 * implementation (validity period, signatures, basic constraints, key usage and the serverAuth
 * extended key usage), then the name of the requested host against the leaf's subject alternative
 * names ({@link HostnameMatcher}). Never the IP the socket is connected to.
 *
 * <p>The PKIX trust manager is given authType {@code UNKNOWN} for TLS 1.3 (the key exchange no
 * longer depends on the certificate) and the key exchange name for TLS 1.2, so that the key usage
 * check fits the suite.
 *
 * <p>Thread-safe; trust managers are built once per set of anchors and shared.
 */
final class ServerCertificateVerifier {
  private static final int CACHED_ANCHOR_SETS = 16;
  private static final Map<List<X509Certificate>, X509TrustManager> ANCHOR_TRUST =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<X509Certificate>, X509TrustManager> e) {
          return size() > CACHED_ANCHOR_SETS;
        }
      };

  private static final class SystemTrust {
    static final X509TrustManager INSTANCE = trustManager(null);
  }

  private final TrustPolicy policy;
  private final String host;
  private volatile List<X509Certificate> verifiedChain = List.of();

  ServerCertificateVerifier(TrustPolicy policy, String host) {
    this.policy = policy;
    this.host = host;
  }

  /** The chain as received and (unless verification is disabled) verified; leaf first. */
  List<X509Certificate> chain() {
    return verifiedChain;
  }

  void verify(Certificate certificate, SecurityParameters parameters) throws IOException {
    X509Certificate[] chain = toX509(certificate);
    if (chain.length == 0) {
      throw new CertificateRejectedException(
          AlertDescription.bad_certificate, "the server sent no certificate", null);
    }
    verifiedChain = List.of(chain);
    if (policy.verificationDisabled()) {
      return; // TrustPolicy.dangerouslyTrustAnyCertificate(): the caller's explicit choice
    }
    String authType = authType(parameters);
    CertificateException failure = null;
    boolean trusted = false;
    for (X509TrustManager trust : trustManagers()) {
      try {
        trust.checkServerTrusted(chain.clone(), authType);
        trusted = true;
        break;
      } catch (CertificateException e) {
        failure = e;
      }
    }
    if (!trusted) {
      short alert = AlertDescription.bad_certificate;
      if (hasCause(failure, CertificateExpiredException.class)
          || hasCause(failure, CertificateNotYetValidException.class)) {
        alert = AlertDescription.certificate_expired;
      }
      throw new CertificateRejectedException(
          alert,
          "server certificate for " + host + " not trusted: "
              + (failure == null ? "no trust anchors" : failure.getMessage()),
          failure);
    }
    boolean nameMatches;
    try {
      nameMatches = HostnameMatcher.matches(host, chain[0]);
    } catch (CertificateException e) {
      throw new CertificateRejectedException(
          AlertDescription.bad_certificate, "unreadable subject alternative names: " + e.getMessage(), e);
    }
    if (!nameMatches) {
      throw new CertificateRejectedException(
          AlertDescription.certificate_unknown,
          "server certificate does not match host " + host + " (names: " + describeNames(chain[0]) + ")",
          null);
    }
  }

  private List<X509TrustManager> trustManagers() {
    List<X509TrustManager> out = new ArrayList<>(2);
    if (policy.useSystemTrustStore()) {
      out.add(SystemTrust.INSTANCE);
    }
    if (!policy.extraAnchors().isEmpty()) {
      synchronized (ANCHOR_TRUST) {
        out.add(ANCHOR_TRUST.computeIfAbsent(policy.extraAnchors(), ServerCertificateVerifier::anchorsTrust));
      }
    }
    return out;
  }

  private static X509TrustManager anchorsTrust(List<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry("anchor-" + i++, anchor);
      }
      return trustManager(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store from the policy's anchors", e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offers no X509TrustManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialise the JDK's PKIX trust manager", e);
    }
  }

  private static String authType(SecurityParameters parameters) {
    if (TlsUtils.isTLSv13(parameters.getNegotiatedVersion())) {
      return "UNKNOWN";
    }
    return switch (TlsUtils.getKeyExchangeAlgorithm(parameters.getCipherSuite())) {
      case KeyExchangeAlgorithm.ECDHE_ECDSA -> "ECDHE_ECDSA";
      case KeyExchangeAlgorithm.ECDHE_RSA -> "ECDHE_RSA";
      case KeyExchangeAlgorithm.DHE_RSA -> "DHE_RSA";
      case KeyExchangeAlgorithm.RSA -> "RSA";
      default -> "UNKNOWN";
    };
  }

  private static X509Certificate[] toX509(Certificate certificate) throws IOException {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      X509Certificate[] out = new X509Certificate[certificate.getLength()];
      for (int i = 0; i < out.length; i++) {
        out[i] =
            (X509Certificate)
                factory.generateCertificate(
                    new ByteArrayInputStream(certificate.getCertificateAt(i).getEncoded()));
      }
      return out;
    } catch (CertificateException e) {
      throw new CertificateRejectedException(
          AlertDescription.bad_certificate, "unparseable server certificate: " + e.getMessage(), e);
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String describeNames(X509Certificate leaf) {
    try {
      var names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return "no subject alternative names";
      }
      List<String> out = new ArrayList<>();
      for (List<?> n : names) {
        out.add(String.valueOf(n.get(1)));
      }
      return String.join(", ", out);
    } catch (CertificateException e) {
      return "unreadable";
    }
  }
}
