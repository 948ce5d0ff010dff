package dev.guise.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the crawler processes of the fleet tests ({@link FleetChild}, {@link FleetPoolChild}, {@link
 * SeedFleetChild}) share: reading their arguments, waiting for their store, and the line protocol
 * with the parent (one fact a line on stdout; stdin closed to stop).
 */
final class FleetChildren {
  /** A child JVM starts slowly on a loaded machine; its store's first load waits this long. */
  private static final Duration RECONCILED_WITHIN = Duration.ofSeconds(120);

  private FleetChildren() {}

  /** The certificate in the DER file at {@code path} (the parent's test CA). */
  static X509Certificate certificate(String path) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The comma-separated IPs of {@code list}, in order. */
  static List<InetAddress> ips(String list) throws IOException {
    List<InetAddress> ips = new ArrayList<>();
    for (String ip : list.split(",")) {
      ips.add(InetAddress.getByName(ip));
    }
    return ips;
  }

  /**
   * Waits until {@code store} has loaded the fleet's state once (bounded: a store that never
   * connects leaves the child to say so through what it prints next, or not at all).
   */
  static void awaitReconciled(RedisFleetStore store) throws InterruptedException {
    long deadline = System.nanoTime() + RECONCILED_WITHIN.toNanos();
    while (store.reconciliations() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /** Prints {@code line} to the parent at once; whole lines, also from several threads. */
  static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Returns when the parent closes stdin, which is how it stops a child. */
  static void untilStdinCloses() throws IOException {
    BufferedReader in = stdin();
    while (in.readLine() != null) {
      // until the parent closes stdin
    }
  }

  /** The parent's lines to this child. */
  static BufferedReader stdin() {
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
  }
}
