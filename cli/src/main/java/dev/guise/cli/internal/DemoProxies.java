package dev.guise.cli.internal;

import dev.guise.pool.proxy.Proxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's real proxies: N microsocks (SOCKS5 with a user name and a random password) on free
 * ports of 127.0.0.1, started and awaited within 10 s each, stopped on close.
 */
final class DemoProxies implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Proxy> proxies = new ArrayList<>();

  DemoProxies(int count) throws IOException, InterruptedException {
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    String password = HexFormat.of().formatHex(secret);
    try {
      for (int i = 0; i < count; i++) {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
          port = probe.getLocalPort();
        }
        Process p;
        try {
          p =
              new ProcessBuilder(
                      "microsocks",
                      "-i",
                      "127.0.0.1",
                      "-p",
                      "" + port,
                      "-u",
                      "demo",
                      "-P",
                      password)
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
        } catch (IOException e) {
          throw new CliException(
              CliException.FAILED,
              "--proxies needs microsocks (apt-get install microsocks): " + e.getMessage());
        }
        processes.add(p);
        await(p, port);
        proxies.add(Proxy.parse("socks5://demo:" + password + "@127.0.0.1:" + port));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static void await(Process p, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new CliException(CliException.FAILED, "microsocks did not start on port " + port);
        }
        Thread.sleep(50);
      }
    }
  }

  List<Proxy> proxies() {
    return List.copyOf(proxies);
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
