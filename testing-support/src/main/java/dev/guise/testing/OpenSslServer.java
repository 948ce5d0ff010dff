package dev.guise.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server -www} (the machine's OpenSSL, a real TLS peer) on a free port of
 * 127.0.0.1, answering each request with its status page. Fails, does not skip, when openssl is
 * missing: CI installs it.
 */
public final class OpenSslServer implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(10);

  private final Process process;
  private final int port;
  // Appended by the reader thread, read by the test thread for failure messages.
  private final StringBuffer output = new StringBuffer();

  /**
   * Starts s_server with the PEM files of a certificate chain and its key, plus {@code extraArgs}
   * (e.g. {@code "-tls1_2"}, {@code "-groups", "P-256"}), and returns once it accepts connections.
   */
  public OpenSslServer(Path certificateChain, Path privateKey, String... extraArgs)
      throws IOException, InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    // The port is free now; s_server takes it a moment later. Another process could take it in
    // between, which then shows as a failed start, not as a wrong peer.
    try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
      port = probe.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_server",
                "-accept",
                loopback.getHostAddress() + ":" + port,
                "-cert",
                certificateChain.toString(),
                "-key",
                privateKey.toString(),
                "-www"));
    command.addAll(List.of(extraArgs));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "openssl is required for this test (apt-get install openssl): " + e, e);
    }
    // Drained all the time: a full pipe would block s_server.
    Thread reader = new Thread(this::drain, "openssl-output");
    reader.setDaemon(true);
    reader.start();
    awaitListening(loopback);
  }

  private void drain() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.append(line).append('\n');
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /**
   * Ready is when a TCP connection is accepted: s_server prints nothing when started with {@code
   * -quiet}, so its output cannot tell. The probe's empty connection is an error s_server logs and
   * survives.
   */
  private void awaitListening(InetAddress loopback) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(loopback, port), 500);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new AssertionError("openssl s_server did not start: " + output);
        }
        Thread.sleep(50);
      }
    }
  }

  public int port() {
    return port;
  }

  /** What s_server printed so far (stdout and stderr), for failure messages. */
  public String output() {
    return output.toString();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
