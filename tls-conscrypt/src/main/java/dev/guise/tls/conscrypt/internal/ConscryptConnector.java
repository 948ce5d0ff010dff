package dev.guise.tls.conscrypt.internal;

import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.tls.support.SslEngineConnection;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.conscrypt.Conscrypt;

/** Opens a Conscrypt TLS connection over a connected socket, sending one {@link HelloSettings}. */
public final class ConscryptConnector {
  private ConscryptConnector() {}

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * Handshakes over {@code socket} (which the returned connection then owns; on failure it is
   * closed). Blocks at most {@code request.handshakeTimeout()}.
   */
  public static TlsConnection connect(Socket socket, TlsConnectRequest request, HelloSettings hello)
      throws IOException {
    TlsEndpoint endpoint = request.endpoint();
    SSLEngine engine;
    try {
      // The peer host given here is what the trust manager checks the certificate's name against:
      // the requested host, never the pinned IP.
      // Sessions are cached by host and port (not IP): a ticket from one IP of a host is offered
      // to its others, as a browser's is.
      SSLContext context =
          request.resumption()
              ? ConscryptContexts.forScope(
                  request.trust(), hello.offer().profile(), request.sessionScope())
              : ConscryptContexts.withoutResumption(request.trust());
      engine = context.createSSLEngine(endpoint.host(), endpoint.port());
      engine.setUseClientMode(true);
      configure(engine, request, hello);
    } catch (GeneralSecurityException | RuntimeException e) {
      closeQuietly(socket);
      throw new IOException("cannot set up a Conscrypt TLS engine for " + endpoint + ": " + e, e);
    }
    return SslEngineConnection.open(
        engine, socket, request, e -> negotiated(e, hello), request.resumption());
  }

  /**
   * Applies the hello settings: the same settings, in the same order, that were applied to
   * Conscrypt's SSLSocket before this engine adapter replaced it, so the ClientHello is unchanged
   * (the JA4 tests check it on the wire). {@code setSSLParameters} replaces the protocol, cipher
   * and group lists, so the other settings come after it.
   *
   * <p>No endpoint identification: the trust manager ({@code ServerTrust}) checks the name itself,
   * by the same RFC 6125 rules as every other engine.
   *
   * <p>Named groups: Conscrypt 2.9.0 has {@code Conscrypt.setNamedGroups} for sockets and socket
   * factories only; for an engine it takes them from {@link SSLParameters#setNamedGroups} (JDK
   * 20+), which its {@code setSSLParameters} copies into the same native setting.
   */
  private static void configure(SSLEngine engine, TlsConnectRequest request, HelloSettings hello) {
    SSLParameters params = engine.getSSLParameters();
    List<String> alpn = request.alpn().isEmpty() ? hello.alpn() : request.alpn();
    params.setApplicationProtocols(alpn.toArray(String[]::new));
    if (!hello.namedGroups().isEmpty()) {
      params.setNamedGroups(hello.namedGroups().toArray(String[]::new));
    }
    engine.setSSLParameters(params);

    engine.setEnabledProtocols(PROTOCOLS);
    if (!hello.cipherSuites().isEmpty()) {
      engine.setEnabledCipherSuites(hello.cipherSuites().toArray(String[]::new));
    }
    Conscrypt.setUseSessionTickets(engine, hello.sessionTickets());
    // SNI: the requested host. Conscrypt leaves SNI out by itself when the host is an IP literal
    // (RFC 6066).
    Conscrypt.setHostname(engine, request.endpoint().host());
  }

  private static NegotiatedTls negotiated(SSLEngine engine, HelloSettings hello)
      throws SSLException {
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
    return new NegotiatedTls(
        session.getProtocol(),
        session.getCipherSuite(),
        alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn),
        group == null || group.isEmpty() ? Optional.empty() : Optional.of(group),
        chain,
        hello.name(),
        hello.fidelity());
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }
}
