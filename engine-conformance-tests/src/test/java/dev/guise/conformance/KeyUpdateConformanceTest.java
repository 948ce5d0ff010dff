package dev.guise.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnection;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Megabytes both ways through {@code openssl s_server} in its interactive mode (what it reads is
 * printed to its stdout, what it is given on stdin is sent), with a TLS 1.3 KeyUpdate from the
 * server in the middle: the {@code K} command makes OpenSSL update its keys and request that the
 * client update its own. Everything after it is only readable (and the client's later data only
 * decryptable by the server) if the engine handled the post-handshake message.
 *
 * <p>The payload is ASCII digits: s_server treats a chunk of its stdin that starts with a letter
 * such as {@code Q} as a command, never one that starts with a digit.
 */
class KeyUpdateConformanceTest {
  private static final String HOST = "www.example.test";
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise openssl stream CA");

  static Stream<String> engines() {
    return Engines.usable();
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void megabytesBothWaysAcrossAServerKeyUpdate(String engine) throws Exception {
    IssuedCertificate.PemFiles pem = CA.issue(HOST).writePem(dir.resolve("pem"));
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    Path stdout = dir.resolve("stdout");
    // stdbuf: s_server prints command results with printf, which a file would buffer until exit.
    Process server =
        new ProcessBuilder(
                "stdbuf",
                "-oL",
                "openssl",
                "s_server",
                "-accept",
                "127.0.0.1:" + port,
                "-cert",
                pem.certificateChain().toString(),
                "-key",
                pem.privateKey().toString(),
                "-tls1_3",
                "-alpn",
                "http/1.1",
                "-naccept",
                "1")
            .redirectError(dir.resolve("stderr").toFile())
            .redirectOutput(stdout.toFile())
            .start();
    try {
      awaitListening(server, port, stdout);
      int size = 3 * 1024 * 1024;
      byte[] before = digits(size, 1);
      byte[] after = digits(size, 2);
      byte[] fromServer1 = digits(size, 3);
      byte[] fromServer2 = digits(size, 4);
      try (TlsConnection c = Engines.connect(engine, HOST, port, CA.trustPolicy())) {
        assertEquals("TLSv1.3", c.negotiated().protocol(), engine);
        c.setReadTimeout(Duration.ofSeconds(30));
        OutputStream serverInput = server.getOutputStream();

        // Both ways at once: the client writes while it reads what the server sends.
        CompletableFuture<Void> upload =
            CompletableFuture.runAsync(() -> send(c, "<<A>>", before, "<<B>>"));
        serverInput.write(fromServer1);
        serverInput.flush();
        byte[] got1 = readFully(c, fromServer1.length);
        upload.get(60, TimeUnit.SECONDS);
        awaitOutput(stdout, "<<B>>", server);

        // s_server has read all of its stdin: "K\n" now arrives alone and is taken as the command.
        serverInput.write("K\n".getBytes(StandardCharsets.US_ASCII));
        serverInput.flush();
        awaitOutput(stdout, "SSL_do_handshake -> 1", server);
        serverInput.write(fromServer2);
        serverInput.flush();
        CompletableFuture<Void> upload2 =
            CompletableFuture.runAsync(() -> send(c, "<<C>>", after, "<<D>>"));
        byte[] got2 = readFully(c, fromServer2.length);
        upload2.get(60, TimeUnit.SECONDS);
        awaitOutput(stdout, "<<D>>", server);

        assertArrayEquals(sha256(fromServer1), sha256(got1));
        assertArrayEquals(sha256(fromServer2), sha256(got2));
        String printed = Files.readString(stdout, StandardCharsets.ISO_8859_1);
        assertArrayEquals(sha256(before), sha256(between(printed, "<<A>>", "<<B>>")));
        assertArrayEquals(sha256(after), sha256(between(printed, "<<C>>", "<<D>>")));
        assertTrue(c.isOpen());
      }
    } finally {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void send(TlsConnection c, String start, byte[] data, String end) {
    try {
      OutputStream out = c.output();
      out.write(start.getBytes(StandardCharsets.US_ASCII));
      Random chunks = new Random(data.length);
      for (int off = 0; off < data.length; ) {
        int n = Math.min(data.length - off, 1 + chunks.nextInt(50_000));
        out.write(data, off, n);
        off += n;
      }
      out.write(end.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static byte[] readFully(TlsConnection c, int length) throws IOException {
    byte[] b = new byte[length];
    int off = 0;
    while (off < length) {
      int n = c.input().read(b, off, Math.min(length - off, 30_000));
      if (n < 0) {
        throw new IOException("stream ended after " + off + " of " + length + " bytes");
      }
      off += n;
    }
    return b;
  }

  private static byte[] digits(int size, long seed) {
    Random random = new Random(seed);
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('0' + random.nextInt(10));
    }
    return b;
  }

  private static byte[] between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from);
    assertTrue(
        from >= 0 && to > from, "markers " + start + " " + end + " not in the server output");
    // s_server reports a read that found only a TLS message and no data (here: the client's
    // answering KeyUpdate) with a status line in the middle of what it prints: not data.
    String got = text.substring(from + start.length(), to).replace("Read BLOCK\n", "");
    Matcher noise = Pattern.compile("[^0-9]+").matcher(got);
    assertTrue(
        !noise.find(),
        () ->
            "the server printed "
                + got.length()
                + " characters between "
                + start
                + " and "
                + end
                + ", not only digits: '"
                + noise.group()
                + "' at "
                + noise.start());
    return got.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private static void awaitOutput(Path stdout, String marker, Process server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(stdout, StandardCharsets.ISO_8859_1).contains(marker)) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("openssl s_server never printed " + marker);
      }
      Thread.sleep(20);
    }
  }

  private static void awaitListening(Process p, int port, Path stdout) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      // A probe connection would be the one connection -naccept 1 serves: wait for the banner.
      if (Files.exists(stdout) && Files.readString(stdout).contains("ACCEPT")) {
        return;
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("openssl s_server did not start (port " + port + ")");
      }
      Thread.sleep(50);
    }
  }
}
