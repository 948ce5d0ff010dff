package dev.guise.tls.bouncycastle;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.fingerprint.ClientHello;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Shared helpers: the reference captures, loopback sockets, a ClientHello catcher. */
final class TestSupport {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private TestSupport() {}

  /** {@code shared/reference/browsers}, found by walking up from the module directory. */
  static Path referenceDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/reference/browsers");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/reference not found above " + Path.of("").toAbsolutePath());
  }

  static byte[] referenceBytes(String file) throws IOException {
    return Files.readAllBytes(referenceDir().resolve(file));
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
  static byte[] catchHello(BouncyCastleEngine engine, String host, String profile, List<String> alpn)
      throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
      server.setSoTimeout((int) TIMEOUT.toMillis());
      CompletableFuture<byte[]> caught =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept()) {
                  s.setSoTimeout((int) TIMEOUT.toMillis());
                  return readHelloRecords(s.getInputStream());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      Socket client = connect(server.getLocalPort());
      TlsConnectRequest request =
          new TlsConnectRequest(
              new TlsEndpoint(host, LOOPBACK, server.getLocalPort()), profile, alpn,
              TrustPolicy.systemDefaults(), TIMEOUT);
      try {
        engine.connect(client, request).close();
        throw new AssertionError("a handshake with a server that hangs up cannot succeed");
      } catch (IOException expected) {
        // the catcher hung up after the hello
      }
      return caught.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Reads handshake records until they hold one whole handshake message. */
  static byte[] readHelloRecords(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    while (true) {
      byte[] header = new byte[5];
      data.readFully(header);
      int length = (header[3] & 0xff) << 8 | header[4] & 0xff;
      byte[] body = new byte[length];
      data.readFully(body);
      records.writeBytes(header);
      records.writeBytes(body);
      handshake.writeBytes(body);
      byte[] h = handshake.toByteArray();
      if (h.length >= 4) {
        int messageLength = (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | h[3] & 0xff;
        if (h.length >= 4 + messageLength) {
          return records.toByteArray();
        }
      }
    }
  }
}
