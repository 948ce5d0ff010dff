package dev.guise.tls.bouncycastle.internal;

import dev.guise.tls.support.HostNameMismatchException;
import dev.guise.tls.support.ServerTrust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsUtils;

/**
 * BouncyCastle's side of certificate verification: its low-level API hands the server's chain to
 * {@code TlsAuthentication.notifyServerCertificate} and leaves the decision to the client. This
 * class turns BouncyCastle's certificate into X.509 certificates and the negotiated parameters into
 * the JSSE auth type, and asks {@link ServerTrust} (the trust every Guise engine uses) whether the
 * chain is accepted for the requested host, never for the IP the socket is connected to.
 *
 * <p>The auth type is {@code UNKNOWN} for TLS 1.3 (the key exchange no longer depends on the
 * certificate) and the key exchange's name for TLS 1.2, so that the key usage check fits the suite.
 *
 * <p>One instance per connection.
 */
final class ServerCertificateVerifier {
  private final ServerTrust trust;
  private final String host;
  private volatile List<X509Certificate> verifiedChain = List.of();

  ServerCertificateVerifier(ServerTrust trust, String host) {
    this.trust = trust;
    this.host = host;
  }

  /** The chain as received and (unless verification is disabled) verified; leaf first. */
  List<X509Certificate> chain() {
    return verifiedChain;
  }

  /**
   * Accepts the server's certificate or throws why not.
   *
   * @throws CertificateException when it is rejected (or cannot be parsed)
   */
  void verify(Certificate certificate, SecurityParameters parameters)
      throws CertificateException, IOException {
    X509Certificate[] chain = toX509(certificate);
    verifiedChain = List.of(chain);
    trust.check(chain, authType(parameters), host);
  }

  /** The TLS alert a browser sends for {@code rejection}, chosen by the exception's type. */
  static short alertFor(CertificateException rejection) {
    if (rejection instanceof HostNameMismatchException) {
      return AlertDescription.certificate_unknown;
    }
    for (Throwable c = rejection; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException
          || c instanceof CertificateNotYetValidException) {
        return AlertDescription.certificate_expired;
      }
    }
    return AlertDescription.bad_certificate;
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

  private static X509Certificate[] toX509(Certificate certificate)
      throws CertificateException, IOException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    X509Certificate[] out = new X509Certificate[certificate.getLength()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          (X509Certificate)
              factory.generateCertificate(
                  new ByteArrayInputStream(certificate.getCertificateAt(i).getEncoded()));
    }
    return out;
  }
}
