package dev.guise.tls.bouncycastle;

import dev.guise.testkit.tls.IssuedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server -www} on a free loopback port. Fails (does not skip) when openssl is
 * missing: CI installs it.
 */
final class OpenSslServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final StringBuffer output = new StringBuffer();

  OpenSslServer(IssuedCertificate certificate, Path dir, String... extraArgs) throws Exception {
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    try (ServerSocket probe = new ServerSocket(0, 1, TestSupport.LOOPBACK)) {
      port = probe.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(
        "openssl", "s_server", "-accept", "127.0.0.1:" + port,
        "-cert", pem.certificateChain().toString(), "-key", pem.privateKey().toString(), "-www"));
    command.addAll(List.of(extraArgs));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("openssl is required for this test (apt-get install openssl): " + e, e);
    }
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.append(line).append('\n');
          if (line.startsWith("ACCEPT")) {
            ready.countDown();
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "openssl-output");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl s_server did not start: " + output);
    }
  }

  int port() {
    return port;
  }

  String output() {
    return output.toString();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
