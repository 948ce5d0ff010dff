package dev.guise.tls.conscrypt.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.conscrypt.Conscrypt;

/** Opens a Conscrypt TLS connection over a connected socket, presenting one {@link HelloProfile}. */
public final class ConscryptConnector {
  private ConscryptConnector() {}

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * Handshakes over {@code socket} (which the returned connection then owns; on failure it is
   * closed). Blocks at most {@code request.handshakeTimeout()}.
   */
  public static TlsConnection connect(Socket socket, TlsConnectRequest request, HelloProfile profile)
      throws IOException {
    TlsEndpoint endpoint = request.endpoint();
    SSLSocket ssl;
    try {
      ssl = (SSLSocket) ConscryptContexts.forPolicyAndProfile(request.trust(), profile.offer().profile()).getSocketFactory()
          .createSocket(socket, endpoint.host(), endpoint.port(), true);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      closeQuietly(socket);
      throw new IOException("cannot set up a Conscrypt TLS socket for " + endpoint + ": " + e, e);
    }
    try (Watchdog watchdog = Watchdog.arm(socket, request.handshakeTimeout())) {
      try {
        configure(ssl, request, profile);
        int previousTimeout = socket.getSoTimeout();
        ssl.setSoTimeout(Math.toIntExact(Math.max(1, request.handshakeTimeout().toMillis())));
        ssl.startHandshake();
        ssl.setSoTimeout(previousTimeout);
        NegotiatedTls negotiated = negotiated(ssl, profile);
        if (watchdog.fired()) {
          throw new SocketTimeoutException("handshake deadline passed");
        }
        return new ConscryptTlsConnection(ssl, socket, negotiated);
      } catch (IOException | RuntimeException e) {
        closeQuietly(ssl);
        closeQuietly(socket);
        if (watchdog.fired() || e instanceof SocketTimeoutException) {
          throw new ClassifiedIOException(FailureKind.READ_TIMEOUT, true,
              PoolAction.DISCARD_CONNECTION, "TLS handshake with " + endpoint + " took longer than "
                  + request.handshakeTimeout().toMillis() + " ms", e);
        }
        if (e instanceof SSLException ssle) {
          throw classify(ssle, endpoint);
        }
        throw e;
      }
    }
  }

  /**
   * Applies the profile. Order matters: {@code setSSLParameters} replaces the protocol and cipher
   * lists, so the Conscrypt-specific settings come after it.
   */
  private static void configure(SSLSocket ssl, TlsConnectRequest request, HelloProfile profile) {
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm(
        request.trust().verificationDisabled() ? null : "HTTPS");
    List<String> alpn = request.alpn().isEmpty() ? profile.alpn() : request.alpn();
    params.setApplicationProtocols(alpn.toArray(String[]::new));
    ssl.setSSLParameters(params);

    ssl.setEnabledProtocols(PROTOCOLS);
    if (!profile.cipherSuites().isEmpty()) {
      ssl.setEnabledCipherSuites(profile.cipherSuites().toArray(String[]::new));
    }
    if (!profile.namedGroups().isEmpty()) {
      Conscrypt.setNamedGroups(ssl, profile.namedGroups().toArray(String[]::new));
    }
    Conscrypt.setUseSessionTickets(ssl, profile.sessionTickets());
    // SNI and the peer host the trust manager checks: the requested host, never the pinned IP.
    // Conscrypt leaves SNI out by itself when the host is an IP literal (RFC 6066).
    Conscrypt.setHostname(ssl, request.endpoint().host());
  }

  private static NegotiatedTls negotiated(SSLSocket ssl, HelloProfile profile) throws SSLException {
    SSLSession session = ssl.getSession();
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      throw new SSLException("handshake completed without a server certificate", e);
    }
    String alpn = ssl.getApplicationProtocol();
    String group = Conscrypt.getGroupName(ssl);
    return new NegotiatedTls(session.getProtocol(), session.getCipherSuite(),
        alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn),
        group == null || group.isEmpty() ? Optional.empty() : Optional.of(group),
        chain, profile.name(), profile.fidelity());
  }

  /** Certificate rejections apart from every other handshake failure. */
  static ClassifiedIOException classify(SSLException e, TlsEndpoint endpoint) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return new ClassifiedIOException(FailureKind.CERTIFICATE, false,
            PoolAction.DISCARD_CONNECTION,
            "certificate of " + endpoint + " rejected: " + t.getMessage(), e);
      }
    }
    return new ClassifiedIOException(FailureKind.TLS_HANDSHAKE, true,
        PoolAction.DISCARD_CONNECTION,
        "TLS handshake with " + endpoint + " failed: " + e.getMessage(), e);
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }
}
