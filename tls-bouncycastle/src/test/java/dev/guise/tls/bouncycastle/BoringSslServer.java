package dev.guise.tls.bouncycastle;

import dev.guise.testkit.tls.IssuedCertificate;
import io.netty.internal.tcnative.Buffer;
import io.netty.internal.tcnative.CertificateCompressionAlgo;
import io.netty.internal.tcnative.Library;
import io.netty.internal.tcnative.SSL;
import io.netty.internal.tcnative.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.zip.Deflater;

/**
 * A loopback TLS 1.3 server on BoringSSL, through netty-tcnative's JNI layer (no Netty handler):
 * one {@code SSL*} per connection driven over netty-tcnative's byte-buffer BIO, fed from and
 * drained to a blocking socket by one thread. Answers one HTTP/1.1 request per connection and
 * closes with close_notify.
 *
 * <p>Configured as the test needs a browser-facing server: groups limited to what is given (so a
 * test can insist on {@code X25519MLKEM768}), ALPN with the given server preference, and RFC 8879
 * certificate compression with the given algorithms: zlib through {@link Deflater}, brotli as a
 * valid brotli stream of uncompressed meta-blocks (RFC 7932 section 9.2; there is no pure-Java
 * brotli encoder, and the client's decoder must accept any valid stream). Each compression call is
 * counted, so a test sees that BoringSSL really sent a compressed certificate.
 *
 * <p>netty-tcnative 2.0.84 exposes no ALPS ({@code SSL_add_application_settings}) and hides
 * BoringSSL's symbols, so this server cannot negotiate ALPS.
 *
 * <p>Linux x86_64 only (the native jar on the test class path); the constructor fails otherwise.
 */
final class BoringSslServer implements AutoCloseable {
  // RFC 8879 code points; netty-tcnative's constants need the native library loaded first.
  static final int ZLIB = 1;
  static final int BROTLI = 2;

  /** What the server saw on one connection. */
  record Session(
      Optional<String> group,
      Optional<String> alpn,
      String version,
      String request,
      Optional<String> failure,
      boolean reused) {}

  private static boolean nativeLoaded;

  private final long context;
  private long chain;
  private long key;
  private final ServerSocket server;
  private final Thread acceptor;
  private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
  private final AtomicInteger compressions = new AtomicInteger();
  private final List<Integer> compressedWith = new ArrayList<>();

  /**
   * @param groups BoringSSL group names, e.g. {@code X25519MLKEM768}
   * @param alpn protocols the server accepts, in its order of preference
   * @param compression certificate compression algorithms ({@link #ZLIB}, {@link #BROTLI})
   */
  BoringSslServer(
      IssuedCertificate certificate,
      List<String> groups,
      List<String> alpn,
      List<Integer> compression)
      throws Exception {
    loadNative();
    context = SSLContext.make(SSL.SSL_PROTOCOL_TLSV1_3, SSL.SSL_MODE_SERVER);
    boolean started = false;
    try {
      setKeyMaterial(certificate);
      SSLContext.setVerify(context, SSL.SSL_CVERIFY_NONE, 0);
      if (!SSLContext.setCurvesList(context, groups.toArray(String[]::new))) {
        throw new IllegalStateException("BoringSSL rejected the groups " + groups);
      }
      if (!alpn.isEmpty()) {
        SSLContext.setAlpnProtos(
            context, alpn.toArray(String[]::new), SSL.SSL_SELECTOR_FAILURE_NO_ADVERTISE);
      }
      for (int algorithm : compression) {
        int added =
            SSLContext.addCertificateCompressionAlgorithm(
                context, SSL.SSL_CERT_COMPRESSION_DIRECTION_COMPRESS, new Compressor(algorithm));
        if (added != 1) {
          throw new IllegalStateException(
              "BoringSSL refused certificate compression algorithm " + algorithm);
        }
      }
      server = new ServerSocket(0, 50, TestSupport.LOOPBACK);
      acceptor = new Thread(this::acceptLoop, "boringssl-server");
      acceptor.setDaemon(true);
      acceptor.start();
      started = true;
    } finally {
      if (!started) {
        freeNative();
      }
    }
  }

  private static synchronized void loadNative() throws Exception {
    if (nativeLoaded) {
      return;
    }
    String os = System.getProperty("os.name").toLowerCase();
    String arch = System.getProperty("os.arch");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new AssertionError(
          "the BoringSSL test server runs on Linux x86_64 only, not " + os + "/" + arch);
    }
    // The file name matters: the library derives its JNI package prefix from it.
    String name = "libnetty_tcnative_linux_x86_64.so";
    Path dir = Files.createTempDirectory("guise-tcnative");
    Path library = dir.resolve(name);
    try (InputStream in =
        BoringSslServer.class.getClassLoader().getResourceAsStream("META-INF/native/" + name)) {
      if (in == null) {
        throw new AssertionError(
            "netty-tcnative-boringssl-static (linux-x86_64) is not on the test class path");
      }
      Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
    }
    System.load(library.toString());
    library.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    if (!Library.initialize("provided", null)) {
      throw new AssertionError("netty-tcnative did not initialise");
    }
    nativeLoaded = true;
  }

  /**
   * Parses the chain and key once; each SSL* gets them (BoringSSL has no context-level BIO loader).
   */
  private void setKeyMaterial(IssuedCertificate certificate) throws Exception {
    long chainBio = bio(certificate.chainPem());
    long keyBio = bio(certificate.privateKeyPem());
    try {
      chain = SSL.parseX509Chain(chainBio);
      key = SSL.parsePrivateKey(keyBio, null);
    } finally {
      SSL.freeBIO(chainBio);
      SSL.freeBIO(keyBio);
    }
  }

  private static long bio(String pem) throws Exception {
    byte[] bytes = pem.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    long bio = SSL.newMemBIO();
    if (SSL.bioWrite(bio, Buffer.address(direct), bytes.length) != bytes.length) {
      SSL.freeBIO(bio);
      throw new IllegalStateException("could not write PEM into a BIO");
    }
    return bio;
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many times BoringSSL asked for a certificate to be compressed. */
  int compressions() {
    return compressions.get();
  }

  /** The algorithms of those compressions, in order. */
  synchronized List<Integer> compressedWith() {
    return List.copyOf(compressedWith);
  }

  /** The next finished connection's session, waiting at most 10 seconds. */
  Session nextSession() throws InterruptedException {
    Session s = sessions.poll(10, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("the BoringSSL server reported no connection within 10 s");
    }
    return s;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(10_000);
        sessions.add(serve(socket));
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private Session serve(Socket socket) throws IOException {
    Connection c = new Connection(socket);
    try {
      c.handshake();
      String group = SSL.getGroupName(c.ssl);
      String request = c.readRequestHead();
      String body = "group=" + group;
      c.write(
          "HTTP/1.1 200 OK\r\nContent-Length: "
              + body.length()
              + "\r\nConnection: close\r\n\r\n"
              + body);
      c.shutdown();
      return new Session(
          Optional.ofNullable(group),
          Optional.ofNullable(SSL.getAlpnSelected(c.ssl)),
          SSL.getVersion(c.ssl),
          request,
          Optional.empty(),
          SSL.isSessionReused(c.ssl));
    } catch (Exception e) {
      return new Session(
          Optional.empty(), Optional.empty(), "", "", Optional.of(e.toString()), false);
    } finally {
      c.free();
    }
  }

  /** One SSL* and its byte-buffer BIO, pumped over a blocking socket. */
  private final class Connection {
    private static final int BUFFER = 64 * 1024;

    final long ssl;
    private final long bio;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private final ByteBuffer in =
        ByteBuffer.allocateDirect(BUFFER); // received, not yet consumed: [0, position)
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer plain = ByteBuffer.allocateDirect(BUFFER);
    private final byte[] transfer = new byte[BUFFER];

    Connection(Socket socket) throws IOException {
      socketIn = socket.getInputStream();
      socketOut = socket.getOutputStream();
      ssl = SSL.newSSL(context, true);
      bio = SSL.bioNewByteBuffer(ssl, BUFFER);
      try {
        SSL.setKeyMaterial(ssl, chain, key);
      } catch (Exception e) {
        SSL.freeSSL(ssl);
        throw new IOException("BoringSSL rejected the certificate or key", e);
      }
    }

    void handshake() throws IOException {
      while (true) {
        int result = withInput(() -> SSL.doHandshake(ssl));
        flush();
        if (result == 1) {
          return;
        }
        int error = SSL.getError(ssl, result);
        if (error != SSL.SSL_ERROR_WANT_READ) {
          throw new IOException("BoringSSL handshake failed: " + lastError(error));
        }
        receive();
      }
    }

    String readRequestHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
        plain.clear();
        int n = withInput(() -> SSL.readFromSSL(ssl, Buffer.address(plain), plain.capacity()));
        flush(); // post-handshake messages (session tickets) may have been written
        if (n > 0) {
          plain.limit(n);
          byte[] b = new byte[n];
          plain.get(b);
          head.writeBytes(b);
          continue;
        }
        int error = SSL.getError(ssl, n);
        if (error != SSL.SSL_ERROR_WANT_READ) {
          throw new IOException("BoringSSL read failed: " + lastError(error));
        }
        receive();
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    void write(String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      plain.clear();
      plain.put(bytes).flip();
      int n = SSL.writeToSSL(ssl, Buffer.address(plain), bytes.length);
      if (n != bytes.length) {
        throw new IOException("BoringSSL write failed: " + lastError(SSL.getError(ssl, n)));
      }
      flush();
    }

    void shutdown() throws IOException {
      SSL.shutdownSSL(ssl); // queues close_notify
      flush();
    }

    void free() {
      SSL.freeSSL(ssl); // frees the BIO too
    }

    private String lastError(int sslError) {
      return "SSL error " + sslError + ", " + SSL.getErrorString(SSL.getLastErrorNumber());
    }

    /**
     * Runs a BoringSSL call with the received bytes as its input; keeps what it did not consume.
     */
    private int withInput(IntSupplier call) {
      int length = in.position();
      SSL.bioSetByteBuffer(bio, Buffer.address(in), length, false);
      int result;
      int consumed;
      try {
        result = call.getAsInt();
      } finally {
        consumed = length - SSL.bioLengthByteBuffer(bio);
        SSL.bioClearByteBuffer(bio);
      }
      in.flip().position(consumed);
      in.compact();
      return result;
    }

    /** Blocks for more bytes from the client. */
    private void receive() throws IOException {
      int room = in.remaining();
      if (room == 0) {
        throw new IOException("input buffer full");
      }
      int n = socketIn.read(transfer, 0, room);
      if (n < 0) {
        throw new IOException("the client closed the connection");
      }
      in.put(transfer, 0, n);
    }

    /** Sends what BoringSSL has queued. */
    private void flush() throws IOException {
      while (SSL.bioLengthNonApplication(bio) > 0) {
        out.clear();
        SSL.bioSetByteBuffer(bio, Buffer.address(out), out.capacity(), true);
        int n;
        try {
          n = SSL.bioFlushByteBuffer(bio);
        } finally {
          SSL.bioClearByteBuffer(bio);
        }
        if (n <= 0) {
          throw new IOException("BoringSSL output did not drain");
        }
        out.limit(n);
        out.get(transfer, 0, n);
        socketOut.write(transfer, 0, n);
      }
      socketOut.flush();
    }
  }

  private final class Compressor implements CertificateCompressionAlgo {
    private final int algorithm;

    Compressor(int algorithm) {
      this.algorithm = algorithm;
    }

    @Override
    public byte[] compress(long ssl, byte[] input) {
      byte[] compressed = algorithm == ZLIB ? zlib(input) : storedBrotli(input);
      synchronized (BoringSslServer.this) {
        compressedWith.add(algorithm);
      }
      compressions.incrementAndGet();
      return compressed;
    }

    @Override
    public byte[] decompress(long ssl, int uncompressedLength, byte[] input) {
      throw new UnsupportedOperationException("the test server never receives certificates");
    }

    @Override
    public int algorithmId() {
      return algorithm;
    }
  }

  static byte[] zlib(byte[] input) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION); // zlib wrapper, as RFC 8879 asks
    try {
      deflater.setInput(input);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(input.length);
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /**
   * A brotli stream (RFC 7932) holding {@code input} in uncompressed meta-blocks: window bits 16,
   * then per chunk ISLAST=0, MNIBBLES=4, MLEN-1, ISUNCOMPRESSED=1, padding to a byte and the raw
   * bytes; then an empty last meta-block.
   */
  static byte[] storedBrotli(byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 16);
    long bits = 0;
    int count = 0;
    bits |= 0; // WBITS = 16 is the single bit 0
    count += 1;
    int offset = 0;
    while (offset < input.length) {
      int length = Math.min(65536, input.length - offset);
      bits |= 0L << count; // ISLAST
      count += 1;
      bits |= 0L << count; // MNIBBLES: 4
      count += 2;
      bits |= (long) (length - 1) << count;
      count += 16;
      bits |= 1L << count; // ISUNCOMPRESSED
      count += 1;
      for (int i = 0; i < count; i += 8) { // pad to a byte boundary
        out.write((int) (bits >>> i) & 0xff);
      }
      bits = 0;
      count = 0;
      out.write(input, offset, length);
      offset += length;
    }
    bits |= 1L << count; // ISLAST
    bits |= 1L << (count + 1); // ISLASTEMPTY
    count += 2;
    for (int i = 0; i < count; i += 8) {
      out.write((int) (bits >>> i) & 0xff);
    }
    return out.toByteArray();
  }

  private void freeNative() {
    if (chain != 0) {
      SSL.freeX509Chain(chain);
    }
    if (key != 0) {
      SSL.freePrivateKey(key);
    }
    SSLContext.free(context);
  }

  @Override
  public void close() throws Exception {
    server.close();
    acceptor.join(5_000);
    freeNative();
  }
}
