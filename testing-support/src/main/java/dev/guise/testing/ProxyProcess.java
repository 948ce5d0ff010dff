package dev.guise.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A proxy server process of the machine (squid, microsocks) on a free port of 127.0.0.1, in a temp
 * directory of its own: started, awaited (a TCP connection accepted) within a bound, and stopped
 * with its helper processes. Fails, does not skip, when the binary is missing: {@code .ci/run}
 * installs it.
 */
abstract class ProxyProcess implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(20);

  final Path dir;
  final int port;
  private Process process;
  // Appended by the reader thread, read by the test thread for failure messages.
  private final StringBuffer output = new StringBuffer();

  ProxyProcess(String name) throws IOException {
    this.dir = Files.createTempDirectory("guise-" + name + "-");
    // The server may drop privileges (squid runs as 'proxy' when started as root): it must be able
    // to write its logs and read what the test wrote here.
    dir.toFile().setReadable(true, false);
    dir.toFile().setWritable(true, false);
    dir.toFile().setExecutable(true, false);
    // Free now; the server takes it a moment later. Another process taking it in between shows as
    // a failed start, not as a wrong peer.
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
  }

  /** Starts {@code command} and waits until the port accepts a connection. */
  final void start(List<String> command, String binary, String debianPackage)
      throws IOException, InterruptedException {
    try {
      process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          binary
              + " is required for this test; run .ci/run (it installs "
              + debianPackage
              + "): "
              + e,
          e);
    }
    Thread reader = new Thread(this::drain, binary + "-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          stop();
          throw new AssertionError(binary + " did not start: " + output + logs());
        }
        Thread.sleep(50);
      }
    }
  }

  /** The server's own log files, for failure messages. */
  String logs() {
    return "";
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

  public final int port() {
    return port;
  }

  /** What the process printed so far. */
  public final String output() {
    return output.toString();
  }

  private void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    for (ProcessHandle h : helpers) {
      h.destroyForcibly();
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
