package dev.guise.tls.bouncycastle;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.fingerprint.ClientHello;
import dev.guise.testing.HelloCatcher;
import dev.guise.testing.ReferenceCaptures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/** Shared helpers: the reference captures, loopback sockets, a ClientHello catcher. */
final class TestSupport {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private TestSupport() {}

  /** A browser capture from testing-support's browsers/ folder, e.g. "curl1-conn01.bin". */
  static byte[] referenceBytes(String file) {
    return ReferenceCaptures.bytes("browsers/" + file);
  }

  static ClientHello reference(String file) throws Exception {
    return ClientHello.parse(referenceBytes(file));
  }

  static TlsConnectRequest request(String host, int port, String profile, TrustPolicy trust) {
    return new TlsConnectRequest(
        new TlsEndpoint(host, LOOPBACK, port), profile, List.of(), trust, TIMEOUT);
  }

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(LOOPBACK, port), (int) TIMEOUT.toMillis());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    return socket;
  }

  /**
   * Sends one ClientHello from {@code engine} for {@code profile} to a loopback listener that
   * records it and hangs up, and returns the hello's record bytes.
   */
  static byte[] catchHello(
      BouncyCastleEngine engine, String host, String profile, List<String> alpn) throws Exception {
    try (HelloCatcher catcher = new HelloCatcher()) {
      Socket client = connect(catcher.port());
      TlsConnectRequest request =
          new TlsConnectRequest(
              new TlsEndpoint(host, LOOPBACK, catcher.port()),
              profile,
              alpn,
              TrustPolicy.systemDefaults(),
              TIMEOUT);
      try {
        engine.connect(client, request).close();
        throw new AssertionError("a handshake with a server that hangs up cannot succeed");
      } catch (IOException expected) {
        // the catcher hung up after the hello
      }
      return catcher.nextHello();
    }
  }
}
