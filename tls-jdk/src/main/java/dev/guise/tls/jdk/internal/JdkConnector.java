package dev.guise.tls.jdk.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Fidelity;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.tls.jdk.JdkEngine;
import dev.guise.tls.support.HostNames;
import dev.guise.tls.support.ServerTrust;
import dev.guise.tls.support.SessionContexts;
import dev.guise.tls.support.SslEngineConnection;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * Opens a JDK (SunJSSE) TLS connection over a connected socket, driving the JDK's {@code
 * SSLEngine}.
 */
public final class JdkConnector {
  private JdkConnector() {}

  private static final List<String> DEFAULT_ALPN = List.of("h2", "http/1.1");

  /** SunJSSE contexts: shared per trust policy and session scope while resumption is on. */
  private static final SessionContexts CONTEXTS = new SessionContexts(16, JdkConnector::create);

  /**
   * Handshakes over {@code socket} (which the returned connection then owns; on failure it is
   * closed). Blocks at most {@code request.handshakeTimeout()}.
   *
   * @param offered whether the engine offers the requested profile
   */
  public static TlsConnection connect(Socket socket, TlsConnectRequest request, boolean offered)
      throws IOException {
    TlsEndpoint endpoint = request.endpoint();
    if (!offered) {
      closeQuietly(socket);
      throw new ClassifiedIOException(
          FailureKind.INVALID_REQUEST,
          false,
          PoolAction.DISCARD_CONNECTION,
          "engine '"
              + JdkEngine.NAME
              + "' offers only '"
              + JdkEngine.PROFILE
              + "', not '"
              + request.profile()
              + "'",
          null);
    }
    SSLEngine engine;
    try {
      SSLContext context =
          request.resumption()
              ? CONTEXTS.forScope(request.trust(), JdkEngine.PROFILE, request.sessionScope())
              : CONTEXTS.withoutResumption(request.trust());
      // The host given here is the peer host the trust manager checks the certificate's name
      // against: the requested host, never the IP the socket is connected to. The JDK's session
      // cache keys by it too: a ticket from one IP of a host is offered to its others (JDK 25,
      // which
      // the tests run on, keeps up to ten tickets per host and port and offers each once).
      engine = context.createSSLEngine(endpoint.host(), endpoint.port());
      engine.setUseClientMode(true);
      SSLParameters params = engine.getSSLParameters();
      // No endpoint identification: the trust manager checks the name itself, by the same RFC
      // 6125 rules as every other engine.
      params.setEndpointIdentificationAlgorithm(null);
      HostNames.serverName(endpoint.host())
          .ifPresent(name -> params.setServerNames(List.of(new SNIHostName(name))));
      params.setApplicationProtocols(
          (request.alpn().isEmpty() ? DEFAULT_ALPN : request.alpn()).toArray(String[]::new));
      engine.setSSLParameters(params);
    } catch (GeneralSecurityException | RuntimeException e) {
      closeQuietly(socket);
      throw new IOException("cannot set up the JDK TLS engine for " + endpoint + ": " + e, e);
    }
    return SslEngineConnection.open(
        engine, socket, request, JdkConnector::negotiated, request.resumption());
  }

  private static SSLContext create(TrustPolicy policy) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {ServerTrust.forPolicy(policy).trustManager()}, null);
    return context;
  }

  private static NegotiatedTls negotiated(SSLEngine engine) throws SSLException {
    SSLSession session = engine.getSession();
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException unverified) {
      // only possible with verification disabled and an anonymous suite; leave the chain empty
    }
    String alpn = engine.getApplicationProtocol();
    return new NegotiatedTls(
        session.getProtocol(),
        session.getCipherSuite(),
        alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn),
        Optional.empty(),
        chain,
        JdkEngine.PROFILE,
        Fidelity.NONE);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }
}
