package dev.guise.tls.support;

import dev.guise.api.TrustPolicy;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whether a server's certificate chain is accepted for a host, as a {@link TrustPolicy} says: the
 * one trust stack every engine uses.
 *
 * <p>The chain must lead to an anchor of the JDK's trust store (when the policy uses it) or to one
 * of the policy's extra anchors, checked by the JDK's PKIX implementation (validity period,
 * signatures, basic constraints, key usage, the serverAuth extended key usage). Then the leaf must
 * be valid for the requested host by {@link HostNames}' RFC 6125 rules. Adding anchors never
 * weakens the name check. Only {@link TrustPolicy#dangerouslyTrustAnyCertificate()} turns both off;
 * nothing else does, and no engine has a trust-everything path of its own.
 *
 * <p>Two ways in: {@link #check} for an engine that sees the chain itself (BouncyCastle's low-level
 * API), and {@link #trustManager()} for a JSSE-style engine (the JDK's, Conscrypt's). The trust
 * manager checks the name against the peer host the socket or engine was created for (the SNI
 * host), never the address it is connected to, so the engine leaves endpoint identification off.
 *
 * <p>Trust managers are built once per set of anchors and shared: building one over the JDK's ~150
 * anchors costs milliseconds, too much for every handshake. Thread-safe.
 */
public final class ServerTrust {
  private static final int CACHED_ANCHOR_SETS = 16;

  /**
   * The longest chain accepted, leaf included: the JDK's own default for a server's chain ({@code
   * jdk.tls.maxCertificateChainLength}) and BouncyCastle's, so every engine draws the line at the
   * same place; real sites send two to four.
   */
  static final int MAX_CHAIN_LENGTH = 10;

  private static final Map<List<X509Certificate>, X509TrustManager> ANCHOR_TRUST =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<X509Certificate>, X509TrustManager> e) {
          return size() > CACHED_ANCHOR_SETS;
        }
      };

  /** The JDK's default trust store (cacerts, or javax.net.ssl.trustStore), built on first use. */
  private static final class SystemTrust {
    static final X509TrustManager INSTANCE = pkix(null);
  }

  private final TrustPolicy policy;
  private final List<X509TrustManager> delegates;

  private ServerTrust(TrustPolicy policy, List<X509TrustManager> delegates) {
    this.policy = policy;
    this.delegates = List.copyOf(delegates);
  }

  /**
   * The trust of {@code policy}.
   *
   * @throws IllegalStateException when the JDK's trust store or the anchors cannot be loaded
   */
  public static ServerTrust forPolicy(TrustPolicy policy) {
    List<X509TrustManager> delegates = new ArrayList<>(2);
    if (!policy.verificationDisabled()) {
      if (policy.useSystemTrustStore()) {
        delegates.add(SystemTrust.INSTANCE);
      }
      if (!policy.extraAnchors().isEmpty()) {
        synchronized (ANCHOR_TRUST) {
          delegates.add(ANCHOR_TRUST.computeIfAbsent(policy.extraAnchors(), ServerTrust::anchors));
        }
      }
    }
    return new ServerTrust(policy, delegates);
  }

  /** The policy this trust applies. */
  public TrustPolicy policy() {
    return policy;
  }

  /**
   * Checks a server's chain (leaf first) for {@code host}; returns normally when it is accepted.
   *
   * @param authType the key exchange as JSSE names it ({@code ECDHE_RSA}, ...) for TLS 1.2, or
   *     {@code UNKNOWN} (Conscrypt says {@code GENERIC}) for TLS 1.3, where the certificate no
   *     longer depends on the key exchange; it selects the key usage the leaf must allow
   * @param host the requested host (the SNI host), never the connected IP
   * @throws HostNameMismatchException when the chain is trusted but not valid for {@code host}
   * @throws CertificateException when the chain is not trusted (the JDK's reason, with the
   *     validator's exception, such as a {@code CertificateExpiredException}, in its causes)
   */
  public void check(X509Certificate[] chain, String authType, String host)
      throws CertificateException {
    if (policy.verificationDisabled()) {
      return; // TrustPolicy.dangerouslyTrustAnyCertificate(): the caller's explicit choice
    }
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    if (chain.length > MAX_CHAIN_LENGTH) {
      // PKIX alone would walk any depth the peer sends (the test CA's intermediates carry no path
      // length constraint), spending a signature check per certificate.
      throw new CertificateException(
          "the server sent a chain of "
              + chain.length
              + " certificates; the limit is "
              + MAX_CHAIN_LENGTH);
    }
    String type = authType == null || authType.equals("GENERIC") ? "UNKNOWN" : authType;
    CertificateException first = null;
    boolean trusted = false;
    for (X509TrustManager trust : delegates) {
      try {
        trust.checkServerTrusted(chain.clone(), type);
        trusted = true;
        break;
      } catch (CertificateException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (!trusted) {
      throw first != null ? first : new CertificateException("the policy has no trust anchors");
    }
    HostNames.check(host, chain[0]);
  }

  /**
   * This trust as a JSSE trust manager, for an SSLContext. It takes the host to check from the
   * socket's or engine's handshake session (the host it was created for), and fails closed when
   * there is none.
   */
  public X509ExtendedTrustManager trustManager() {
    return new Jsse();
  }

  private static X509TrustManager anchors(List<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry("anchor-" + i++, anchor);
      }
      return pkix(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store from the policy's anchors", e);
    }
  }

  private static X509TrustManager pkix(KeyStore store) {
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

  /** The JSSE face of {@link #check}; a client never checks client certificates. */
  private final class Jsse extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
      check(chain, authType, peerHost(session == null ? null : session.getPeerHost()));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, authType, peerHost(engine == null ? null : engine.getPeerHost()));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      // No socket, no engine: no host to check the name against.
      check(chain, authType, peerHost(null));
    }

    private String peerHost(String host) throws CertificateException {
      if ((host == null || host.isEmpty()) && !policy.verificationDisabled()) {
        throw new CertificateException("no host to check the server certificate against");
      }
      return host;
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
      for (X509TrustManager tm : delegates) {
        all.addAll(List.of(tm.getAcceptedIssuers()));
      }
      return all.toArray(X509Certificate[]::new);
    }
  }
}
