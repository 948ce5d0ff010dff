package dev.guise.pool.internal.tls;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.spi.TlsEngine;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The JDK's own TLS (SunJSSE), named {@code jdk}. It presents no browser fingerprint and says so:
 * its single offer, {@code jdk-default}, has fidelity {@link Fidelity#NONE}. It serves tests that
 * need no fingerprint and is the fallback when no other engine is installed.
 *
 * <p>Verification: the chain against {@link dev.guise.api.TrustPolicy}'s anchors, the name against
 * the requested host by the JDK's HTTPS endpoint identification (which checks the host the socket
 * was layered for, never the IP it is connected to).
 */
public final class JdkTlsProvider implements TlsEngine {
  public static final String NAME = "jdk";
  public static final String PROFILE = "jdk-default";

  private static final List<String> DEFAULT_ALPN = List.of("h2", "http/1.1");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<FingerprintOffer> offers() {
    return List.of(new FingerprintOffer(PROFILE, List.of(), Fidelity.NONE, Optional.empty(),
        "the JDK's own ClientHello; looks like Java, not like a browser"));
  }

  @Override
  public TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException {
    if (offer(request.profile()).isEmpty()) {
      socket.close();
      throw new ClassifiedIOException(FailureKind.INVALID_REQUEST, false,
          PoolAction.DISCARD_CONNECTION,
          "engine '" + NAME + "' offers only '" + PROFILE + "', not '" + request.profile() + "'",
          null);
    }
    SSLSocket ssl;
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {TrustManagers.forPolicy(request.trust())}, null);
      ssl = (SSLSocket) context.getSocketFactory()
          .createSocket(socket, request.endpoint().host(), request.endpoint().port(), true);
    } catch (GeneralSecurityException e) {
      socket.close();
      throw new IOException("cannot set up the JDK TLS context: " + e.getMessage(), e);
    }
    try {
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm(
          request.trust().verificationDisabled() ? null : "HTTPS");
      if (!HostNames.isIpLiteral(request.endpoint().host())) {
        params.setServerNames(List.of(new SNIHostName(request.endpoint().host())));
      }
      params.setApplicationProtocols(
          (request.alpn().isEmpty() ? DEFAULT_ALPN : request.alpn()).toArray(String[]::new));
      ssl.setSSLParameters(params);
      int previousTimeout = socket.getSoTimeout();
      ssl.setSoTimeout(Math.toIntExact(Math.max(1, request.handshakeTimeout().toMillis())));
      ssl.startHandshake();
      ssl.setSoTimeout(previousTimeout);
      return new JdkTlsConnection(ssl, negotiated(ssl));
    } catch (SocketTimeoutException e) {
      closeQuietly(ssl);
      throw new ClassifiedIOException(FailureKind.READ_TIMEOUT, true, PoolAction.DISCARD_CONNECTION,
          "TLS handshake with " + request.endpoint() + " took longer than "
              + request.handshakeTimeout().toMillis() + " ms", e);
    } catch (SSLException e) {
      closeQuietly(ssl);
      throw TlsFailures.classify(e, request.endpoint());
    } catch (IOException | RuntimeException e) {
      closeQuietly(ssl);
      throw e;
    }
  }

  private static NegotiatedTls negotiated(SSLSocket ssl) throws SSLException {
    var session = ssl.getSession();
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException unverified) {
      // only possible with verification disabled and an anonymous suite; leave the chain empty
    }
    String alpn = ssl.getApplicationProtocol();
    return new NegotiatedTls(session.getProtocol(), session.getCipherSuite(),
        alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn),
        Optional.empty(), chain, PROFILE, Fidelity.NONE);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }
}
