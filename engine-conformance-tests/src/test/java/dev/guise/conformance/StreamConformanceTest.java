package dev.guise.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnection;
import dev.guise.testing.InterceptedSocket;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every engine's streams against a JDK TLS server: large transfers both ways at once, read in
 * pieces of every size, records that are not TLS, and read timeouts that leave the connection
 * usable.
 */
class StreamConformanceTest {
  private static final String HOST = "www.example.test";
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise stream CA");
  private static final IssuedCertificate CERT = CA.issue(HOST);

  static Stream<String> engines() {
    return Engines.usable();
  }

  static Stream<Arguments> enginesAndProtocols() {
    return engines().flatMap(e -> Stream.of(arguments(e, "TLSv1.3"), arguments(e, "TLSv1.2")));
  }

  static Stream<Arguments> enginesAndGarbage() {
    return engines()
        .flatMap(
            e ->
                Stream.of("bad-mac", "not-tls", "too-long", "truncated").map(g -> arguments(e, g)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("enginesAndProtocols")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void megabytesBothWaysAtOnceArriveIntact(String engine, String protocol) throws Exception {
    int size = 6 * 1024 * 1024;
    byte[] sent = new byte[size];
    new Random(8).nextBytes(sent);
    // The server echoes everything back while the client is still writing: the client reads on
    // one thread while another writes, as the HTTP/2 client does.
    try (OneShotServer server =
            new OneShotServer(
                protocol,
                s -> {
                  try {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buffer = new byte[7919];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                      out.write(buffer, 0, n);
                    }
                  } catch (IOException e) {
                    throw new RuntimeException(e);
                  }
                });
        TlsConnection c = server.connect(engine)) {
      assertEquals(protocol, c.negotiated().protocol(), engine);
      c.setReadTimeout(Duration.ofSeconds(20));
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Random chunks = new Random(1);
                  for (int off = 0; off < size; ) {
                    int n = Math.min(size - off, 1 + chunks.nextInt(40_000));
                    c.output().write(sent, off, n);
                    off += n;
                  }
                  c.output().flush();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[20_000];
      Random lengths = new Random(2);
      long total = 0;
      while (total < size) {
        int n = c.input().read(buffer, 0, 1 + lengths.nextInt(buffer.length));
        assertTrue(n > 0, "stream ended after " + total + " bytes");
        received.update(buffer, 0, n);
        total += n;
      }
      writer.get(30, TimeUnit.SECONDS);
      assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(sent), received.digest());
    }
  }

  /**
   * Request and reply, with the hint that a reply is due before each wait: replies of one byte to
   * several records, some sent in pieces, one late past the read timeout. Every reply arrives
   * whole, and the timeout loses nothing.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("enginesAndProtocols")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void repliesAwaitedWithTheHintArriveWholeAndATimeoutLosesNothing(String engine, String protocol)
      throws Exception {
    int[] sizes = {1, 200, 16_384, 16_385, 40_000, 3, 100_000, 64};
    int late = 5; // the reply to this request comes after the client's read timeout
    CompletableFuture<Void> timedOut = new CompletableFuture<>();
    try (OneShotServer server =
            new OneShotServer(
                protocol,
                s -> {
                  try {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < sizes.length; i++) {
                      int n = in.readInt();
                      byte[] reply = reply(i, n);
                      if (i == late) {
                        timedOut.get(10, TimeUnit.SECONDS);
                      }
                      // In two writes (two records or more), the second after a pause.
                      int first = n / 3;
                      out.write(reply, 0, first);
                      out.flush();
                      Thread.sleep(i % 2 == 0 ? 0 : 20);
                      out.write(reply, first, n - first);
                      out.flush();
                    }
                    in.read(); // until the client is done
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        TlsConnection c = server.connect(engine)) {
      for (int i = 0; i < sizes.length; i++) {
        int n = sizes[i];
        c.output()
            .write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        c.output().flush();
        c.replyDue();
        if (i == late) {
          c.setReadTimeout(Duration.ofMillis(200));
          assertThrows(SocketTimeoutException.class, () -> c.input().read(new byte[10]));
          assertTrue(c.isOpen(), engine);
          timedOut.complete(null);
        }
        c.setReadTimeout(Duration.ofSeconds(5));
        byte[] got = new byte[n];
        new DataInputStream(c.input()).readFully(got);
        assertArrayEquals(reply(i, n), got, engine + ": reply " + i);
      }
      c.output().write('x');
      c.output().flush();
    }
  }

  private static byte[] reply(int i, int n) {
    byte[] b = new byte[n];
    new Random(i).nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("enginesAndGarbage")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void garbageAfterTheHandshakeIsAClassifiedError(String engine, String garbage) throws Exception {
    byte[] raw =
        switch (garbage) {
          // application_data with a valid header and a body that fails authentication
          case "bad-mac" -> concat(new byte[] {23, 3, 3, 0, 64}, new byte[64]);
          case "not-tls" -> "HTTP/1.1 200 OK\r\n\r\n".getBytes();
          // one byte over 2^14 + 2048
          case "too-long" -> concat(new byte[] {23, 3, 3, 0x48, 0x01}, new byte[100]);
          // announces 200 bytes, sends 10, then the server closes
          case "truncated" -> concat(new byte[] {23, 3, 3, 0, (byte) 200}, new byte[10]);
          default -> throw new AssertionError(garbage);
        };
    try (OneShotServer server = new OneShotServer("TLSv1.3", s -> server(s).rawWrite(raw));
        TlsConnection c = server.connect(engine)) {
      c.setReadTimeout(Duration.ofSeconds(5));
      var e = assertThrows(ClassifiedIOException.class, () -> c.input().read(new byte[100]));
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), engine + ": " + e.getMessage());
      // and it stays broken: no second attempt at parsing the rest
      assertThrows(IOException.class, () -> c.input().read());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aReadTimeoutWhileIdleLeavesTheConnectionUsable(String engine) throws Exception {
    CompletableFuture<Void> goOn = new CompletableFuture<>();
    CompletableFuture<Void> goOnAgain = new CompletableFuture<>();
    try (OneShotServer server =
            new OneShotServer(
                "TLSv1.3",
                s -> {
                  try {
                    goOn.get(10, TimeUnit.SECONDS);
                    s.getOutputStream().write("first".getBytes());
                    s.getOutputStream().flush();
                    // Stalls between records: the client's timeout fires while it waits for a
                    // header.
                    goOnAgain.get(10, TimeUnit.SECONDS);
                    s.getOutputStream().write("second".getBytes());
                    s.getOutputStream().flush();
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        TlsConnection c = server.connect(engine)) {
      c.setReadTimeout(Duration.ofMillis(200));
      assertThrows(SocketTimeoutException.class, () -> c.input().read(new byte[10]));
      assertTrue(c.isOpen());
      goOn.complete(null);
      c.setReadTimeout(Duration.ofSeconds(5));
      assertEquals("first", readString(c, 5));
      c.setReadTimeout(Duration.ofMillis(200));
      assertThrows(SocketTimeoutException.class, () -> c.input().read(new byte[10]));
      goOnAgain.complete(null);
      c.setReadTimeout(Duration.ofSeconds(5));
      assertEquals("second", readString(c, 6));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aTimeoutInsideARecordKeepsWhatWasReadForTheNextRead(String engine) throws Exception {
    // The server writes one record's bytes in two parts; the client times out between them.
    CompletableFuture<Void> rest = new CompletableFuture<>();
    try (OneShotServer server =
            new OneShotServer(
                "TLSv1.3",
                s -> {
                  try {
                    // One encrypted record, kept from the wire and then sent in three parts.
                    byte[] record = server(s).encryptOneRecord("split record".getBytes());
                    server(s).rawWrite(Arrays.copyOf(record, 3));
                    rest.get(10, TimeUnit.SECONDS);
                    server(s).rawWrite(Arrays.copyOfRange(record, 3, 20));
                    Thread.sleep(300);
                    server(s).rawWrite(Arrays.copyOfRange(record, 20, record.length));
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        TlsConnection c = server.connect(engine)) {
      c.setReadTimeout(Duration.ofMillis(200));
      assertThrows(SocketTimeoutException.class, () -> c.input().read(new byte[20]));
      rest.complete(null);
      assertThrows(SocketTimeoutException.class, () -> c.input().read(new byte[20]));
      c.setReadTimeout(Duration.ofSeconds(5));
      assertEquals("split record", readString(c, 12));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aRecordReadInSmallPiecesIsAvailableBetweenThem(String engine) throws Exception {
    // One record of 10,000 bytes read 7 bytes at a time: the JDK's engine cannot decrypt it into
    // 7 bytes, so the connection decrypts it aside and hands it out from there.
    byte[] sent = new byte[10_000];
    new Random(3).nextBytes(sent);
    try (OneShotServer server =
            new OneShotServer(
                "TLSv1.3",
                s -> {
                  try {
                    s.getOutputStream().write(sent);
                    s.getOutputStream().flush();
                    s.getInputStream().read(); // until the client is done
                  } catch (IOException e) {
                    throw new RuntimeException(e);
                  }
                });
        TlsConnection c = server.connect(engine)) {
      c.setReadTimeout(Duration.ofSeconds(5));
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] piece = new byte[7];
      while (received.size() < sent.length) {
        int n = c.input().read(piece);
        assertTrue(n > 0, engine + ": stream ended after " + received.size() + " bytes");
        received.write(piece, 0, n);
        if (received.size() < sent.length) {
          assertTrue(c.input().available() > 0, engine + ": nothing available mid-record");
        }
      }
      assertArrayEquals(sent, received.toByteArray(), engine);
      assertEquals(0, c.input().available(), engine);
      c.output().write('x');
      c.output().flush();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void closeNotifyIsTheEndOfTheStream(String engine) throws Exception {
    try (OneShotServer server =
            new OneShotServer(
                "TLSv1.3",
                s -> {
                  try {
                    s.getOutputStream().write("bye".getBytes());
                    s.getOutputStream().flush();
                    s.close(); // close_notify
                  } catch (IOException e) {
                    throw new RuntimeException(e);
                  }
                });
        TlsConnection c = server.connect(engine)) {
      c.setReadTimeout(Duration.ofSeconds(5));
      assertEquals("bye", readString(c, 3));
      assertEquals(-1, c.input().read(), engine);
      assertEquals(-1, c.input().read(new byte[5]), engine);
      assertTrue(!c.isOpen());
    }
  }

  private static String readString(TlsConnection c, int length) throws IOException {
    byte[] b = new byte[length];
    new DataInputStream(c.input()).readFully(b);
    return new String(b);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static ServerSide server(SSLSocket s) {
    return ServerSide.of(s);
  }

  /** Access to the plain socket under a server's TLS socket, to write bytes that are not TLS. */
  private record ServerSide(SSLSocket tls, Socket plain, RecordingOutput recorder) {
    static final Map<SSLSocket, ServerSide> ALL = new ConcurrentHashMap<>();

    static ServerSide of(SSLSocket s) {
      return ALL.get(s);
    }

    void rawWrite(byte[] bytes) {
      try {
        plain.getOutputStream().write(bytes);
        plain.getOutputStream().flush();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    /** The bytes the TLS socket produces for {@code data}, kept from the wire. */
    byte[] encryptOneRecord(byte[] data) throws IOException {
      recorder.hold = true;
      tls.getOutputStream().write(data);
      tls.getOutputStream().flush();
      recorder.hold = false;
      return recorder.held.toByteArray();
    }
  }

  /** A socket output that can keep bytes instead of sending them. */
  private static final class RecordingOutput extends OutputStream {
    final OutputStream out;
    final ByteArrayOutputStream held = new ByteArrayOutputStream();
    volatile boolean hold;

    RecordingOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (hold) {
        held.write(b, off, len);
      } else {
        out.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }

  /**
   * Accepts one connection on 127.0.0.1, runs a JDK TLS server handshake over it (layered on the
   * plain socket, whose output can be intercepted) and hands the TLS socket to {@code body}.
   */
  private static final class OneShotServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread thread;

    OneShotServer(String protocol, Consumer<SSLSocket> body) throws IOException {
      listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("one-shot-tls")
              .start(
                  () -> {
                    try (Socket accepted = listener.accept()) {
                      accepted.setSoTimeout(20_000);
                      RecordingOutput recorder = new RecordingOutput(accepted.getOutputStream());
                      Socket plain = new InterceptedSocket(accepted, recorder);
                      SSLSocket tls =
                          (SSLSocket)
                              CERT.serverSslContext()
                                  .getSocketFactory()
                                  .createSocket(plain, null, accepted.getPort(), false);
                      tls.setUseClientMode(false);
                      tls.setEnabledProtocols(new String[] {protocol});
                      var params = tls.getSSLParameters();
                      params.setApplicationProtocols(new String[] {"http/1.1"});
                      tls.setSSLParameters(params);
                      tls.startHandshake();
                      ServerSide.ALL.put(tls, new ServerSide(tls, accepted, recorder));
                      try {
                        body.accept(tls);
                      } finally {
                        ServerSide.ALL.remove(tls);
                      }
                      // Let the client read everything before the socket closes under it.
                      accepted.shutdownOutput();
                      accepted.getInputStream().transferTo(OutputStream.nullOutputStream());
                    } catch (IOException | RuntimeException e) {
                      // the client went away: the assertions on the client side tell what happened
                    }
                  });
    }

    TlsConnection connect(String engine) throws IOException {
      return Engines.connect(engine, HOST, listener.getLocalPort(), CA.trustPolicy());
    }

    @Override
    public void close() throws Exception {
      listener.close();
      thread.join(10_000);
    }
  }
}
