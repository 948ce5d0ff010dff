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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server -www} (the machine's OpenSSL, a real TLS peer) on a free port of
 * 127.0.0.1, answering each request with its status page (which says whether the connection's TLS
 * session was {@code New} or {@code Reused}). Fails, does not skip, when openssl is missing: CI
 * installs it.
 *
 * <p>{@link #onAddresses} serves the same port on several loopback addresses (a host's IPs): one
 * s_server, so one session cache and one ticket key for all of them, as a site's front ends share
 * theirs, reached from each address through a byte relay (s_server accepts on one address only).
 */
public final class OpenSslServer implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(10);

  private final Process process;
  private final int port;
  private final List<ServerSocket> relays = new ArrayList<>();
  private final List<Socket> relayed = new CopyOnWriteArrayList<>();
  // Appended by the reader thread, read by the test thread for failure messages.
  private final StringBuffer output = new StringBuffer();

  /**
   * Starts s_server with the PEM files of a certificate chain and its key, plus {@code extraArgs}
   * (e.g. {@code "-tls1_2"}, {@code "-groups", "P-256"}), and returns once it accepts connections.
   */
  public OpenSslServer(Path certificateChain, Path privateKey, String... extraArgs)
      throws IOException, InterruptedException {
    this(List.of(), certificateChain, privateKey, extraArgs);
  }

  /**
   * As {@link #OpenSslServer(Path, Path, String...)}, also serving {@link #port()} on each of
   * {@code addresses} (loopback addresses other than 127.0.0.1, such as 127.0.1.1): a connection
   * there reaches the same s_server.
   */
  public static OpenSslServer onAddresses(
      List<InetAddress> addresses, Path certificateChain, Path privateKey, String... extraArgs)
      throws IOException, InterruptedException {
    for (InetAddress a : addresses) {
      if (!a.isLoopbackAddress() || a.equals(InetAddress.getLoopbackAddress())) {
        throw new IllegalArgumentException("not a loopback address besides 127.0.0.1: " + a);
      }
    }
    return new OpenSslServer(addresses, certificateChain, privateKey, extraArgs);
  }

  private OpenSslServer(
      List<InetAddress> addresses, Path certificateChain, Path privateKey, String... extraArgs)
      throws IOException, InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    // The port is free now on every address; s_server takes it on 127.0.0.1 a moment later.
    // Another process could take it in between, which then shows as a failed start, not as a
    // wrong peer.
    port = bindRelays(addresses, loopback);
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
    try {
      awaitListening(loopback);
    } catch (AssertionError e) {
      closeRelays();
      throw e;
    }
    for (ServerSocket relay : relays) {
      Thread.ofPlatform().daemon().name("openssl-relay-accept").start(() -> relay(relay, loopback));
    }
  }

  /** Finds a port free on 127.0.0.1 and on each address, and listens there on the addresses. */
  private int bindRelays(List<InetAddress> addresses, InetAddress loopback) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
        candidate = probe.getLocalPort();
      }
      try {
        for (InetAddress a : addresses) {
          ServerSocket relay = new ServerSocket();
          relays.add(relay);
          relay.bind(new InetSocketAddress(a, candidate), 128);
        }
        return candidate;
      } catch (IOException taken) {
        last = taken;
        closeRelays();
      }
    }
    throw new IOException("no port free on every address", last);
  }

  private void relay(ServerSocket relay, InetAddress loopback) {
    while (!relay.isClosed()) {
      Socket client;
      try {
        client = relay.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket server = new Socket();
      relayed.add(client);
      relayed.add(server);
      try {
        server.connect(new InetSocketAddress(loopback, port), 5_000);
        Thread.ofPlatform().daemon().start(() -> SocketPipes.pump(client, server));
        Thread.ofPlatform().daemon().start(() -> SocketPipes.pump(server, client));
      } catch (IOException e) {
        // s_server gone: the client sees its connection end
        SocketPipes.closeQuietly(client);
        SocketPipes.closeQuietly(server);
      }
    }
  }

  private void closeRelays() {
    relays.forEach(SocketPipes::closeQuietly);
    relayed.forEach(SocketPipes::closeQuietly);
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
    closeRelays();
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
