package dev.guise.tls.jdk;

import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.TlsEngine;
import dev.guise.tls.jdk.internal.JdkConnector;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

/**
 * The JDK's own TLS (SunJSSE), named {@code jdk}. It presents no browser fingerprint and says so:
 * its single offer, {@code jdk-default}, has fidelity {@link Fidelity#NONE}. It serves tests that
 * need no fingerprint and is the fallback when no other engine is installed.
 *
 * <p>Verification: the chain against {@link TrustPolicy}'s anchors, the name against the requested
 * host by RFC 6125 rules (the same checks, from the same code, as every other Guise engine), never
 * against the IP the socket is connected to.
 *
 * <p>Thread-safe; {@link #connect} blocks for at most the request's handshake timeout.
 */
public final class JdkEngine implements TlsEngine {
  /** The engine's name in configuration. */
  public static final String NAME = "jdk";

  /** Its one offer: the JDK's own ClientHello. */
  public static final String PROFILE = "jdk-default";

  /** Creates the engine; cheap. */
  public JdkEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<FingerprintOffer> offers() {
    return List.of(
        new FingerprintOffer(
            PROFILE,
            List.of(),
            Fidelity.NONE,
            Optional.empty(),
            "the JDK's own ClientHello; looks like Java, not like a browser"));
  }

  @Override
  public TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException {
    return JdkConnector.connect(socket, request, offer(request.profile()).isPresent());
  }
}
