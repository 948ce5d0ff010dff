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
import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;

/** Opens a Conscrypt TLS connection over a connected socket, presenting one {@link HelloSettings}. */
public final class ConscryptConnector {
  private ConscryptConnector() {}

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * Handshakes over {@code socket} (which the returned connection then owns; on failure it is
   * closed). Blocks at most {@code request.handshakeTimeout()}.
   */
  public static TlsConnection connect(Socket socket, TlsConnectRequest request, HelloSettings profile)
      throws IOException {
    TlsEndpoint endpoint = request.endpoint();
    SSLEngine engine;
    ConscryptTlsConnection connection;
    try {
      // The peer host given here is what the trust manager checks the certificate against (with
      // the HTTPS endpoint identification set below): the requested host, never the pinned IP.
      engine = ConscryptContexts.forPolicyAndProfile(request.trust(), profile.offer().profile())
          .createSSLEngine(endpoint.host(), endpoint.port());
      engine.setUseClientMode(true);
      configure(engine, request, profile);
      connection = new ConscryptTlsConnection(engine, socket);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      closeQuietly(socket);
      throw new IOException("cannot set up a Conscrypt TLS engine for " + endpoint + ": " + e, e);
    }
    // Each read is bounded by the socket timeout; the watchdog bounds the whole handshake (a peer
    // dripping bytes) and the writes (a peer that does not read).
    try (Watchdog watchdog = Watchdog.arm(socket, request.handshakeTimeout())) {
      try {
        int previousTimeout = socket.getSoTimeout();
        socket.setSoTimeout(Math.toIntExact(Math.max(1, request.handshakeTimeout().toMillis())));
        connection.handshake();
        socket.setSoTimeout(previousTimeout);
        connection.negotiated(negotiated(engine, profile));
        if (watchdog.fired()) {
          throw new SocketTimeoutException("handshake deadline passed");
        }
        return connection;
      } catch (IOException | RuntimeException e) {
        closeQuietly(connection);
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
   * Applies the profile: the same settings, in the same order, that were applied to Conscrypt's
   * SSLSocket before this engine adapter replaced it, so the ClientHello is unchanged (the JA4
   * tests check it on the wire). {@code setSSLParameters} replaces the protocol, cipher and group
   * lists, so the other settings come after it.
   *
   * <p>Named groups: Conscrypt 2.9.0 has {@code Conscrypt.setNamedGroups} for sockets and socket
   * factories only; for an engine it takes them from {@link SSLParameters#setNamedGroups} (JDK 20+),
   * which its {@code setSSLParameters} copies into the same native setting.
   */
  private static void configure(SSLEngine engine, TlsConnectRequest request, HelloSettings profile) {
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm(
        request.trust().verificationDisabled() ? null : "HTTPS");
    List<String> alpn = request.alpn().isEmpty() ? profile.alpn() : request.alpn();
    params.setApplicationProtocols(alpn.toArray(String[]::new));
    if (!profile.namedGroups().isEmpty()) {
      params.setNamedGroups(profile.namedGroups().toArray(String[]::new));
    }
    engine.setSSLParameters(params);

    engine.setEnabledProtocols(PROTOCOLS);
    if (!profile.cipherSuites().isEmpty()) {
      engine.setEnabledCipherSuites(profile.cipherSuites().toArray(String[]::new));
    }
    Conscrypt.setUseSessionTickets(engine, profile.sessionTickets());
    // SNI: the requested host. Conscrypt leaves SNI out by itself when the host is an IP literal
    // (RFC 6066).
    Conscrypt.setHostname(engine, request.endpoint().host());
  }

  private static NegotiatedTls negotiated(SSLEngine engine, HelloSettings profile) throws SSLException {
    SSLSession session = engine.getSession();
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      throw new SSLException("handshake completed without a server certificate", e);
    }
    String alpn = engine.getApplicationProtocol();
    String group = Conscrypt.getGroupName(engine);
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

  private static void closeQuietly(TlsConnection c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }
}
