package dev.guise.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway redis-server on loopback for {@code guise demo --fleet}: no persistence, a free port,
 * stopped (and its log deleted) on close.
 */
final class LocalRedis implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/redis-server");
  static final String MISSING =
      "guise demo --fleet needs a Redis: give --redis URL, or install redis-server"
          + " (Debian/Ubuntu: apt-get install redis-server) so the demo can start one on loopback";

  private final Process process;
  private final Path log;
  private final int port;

  private LocalRedis(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts one and waits (at most 10 s) until it answers PING. */
  static LocalRedis start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("guise-demo-redis-", ".log");
    Process p =
        new ProcessBuilder(
                List.of(
                    BINARY.toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalRedis redis = new LocalRedis(p, log, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!redis.answers()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String said = Files.readString(log);
        redis.close();
        throw new IOException(
            "redis-server did not start on 127.0.0.1:" + port + "; its log: " + said.strip());
      }
      Thread.sleep(50);
    }
    return redis;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(5);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a temp file left behind
    }
  }
}
