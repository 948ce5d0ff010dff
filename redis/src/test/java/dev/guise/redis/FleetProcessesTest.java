package dev.guise.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crawler processes in separate JVMs ({@link FleetChild}) sharing one real redis-server: a ban made
 * in this JVM reaches another within 100 ms at the 99th percentile, and three processes drawing on
 * one host's bucket together keep its rate within 10 % over a minute, as the issue asks of the
 * build (mostly waiting: about 8 s of CPU a child); {@code -Dguise.redis.rateWindow=N} sets another
 * window in seconds.
 */
class FleetProcessesTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final Map<Process, Path> STDERR = new ConcurrentHashMap<>();

  /** A JVM running {@link FleetChild} with {@code args}, on this test's class and module path. */
  static Process child(String... args) throws IOException {
    return java(FleetChild.class, args);
  }

  /** A JVM running {@code main} with {@code args}, on this test's class and module path. */
  static Process java(Class<?> main, String... args) throws IOException {
    List<String> path = new ArrayList<>();
    for (String p : List.of("jdk.module.path", "java.class.path")) {
      String v = System.getProperty(p, "");
      if (!v.isEmpty()) {
        path.add(v);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, path));
    command.add(main.getName());
    command.addAll(List.of(args));
    File err = File.createTempFile("guise-fleet-child-", ".err");
    err.deleteOnExit();
    Process p = new ProcessBuilder(command).redirectError(err).start();
    STDERR.put(p, err.toPath());
    return p;
  }

  /** The child's stdout lines, read on a thread of their own. */
  static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  q.add(line);
                }
              } catch (IOException ignored) {
                // the child ended
              }
            });
    t.setDaemon(true);
    t.start();
    return q;
  }

  static String next(Process p, BlockingQueue<String> q, Duration within)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + within.toNanos();
    String line = null;
    // In slices: a child that died says nothing more, and waiting out the bound would only hide
    // its stderr for minutes.
    while (line == null && System.nanoTime() < deadline) {
      line = q.poll(200, TimeUnit.MILLISECONDS);
      if (line == null && !p.isAlive()) {
        line = q.poll(500, TimeUnit.MILLISECONDS); // what it printed last, read by now
        break;
      }
    }
    if (line == null) {
      throw new AssertionError(
          "the child said nothing within "
              + within
              + (p.isAlive() ? "" : " (it ended: " + p.exitValue() + ")")
              + "; its stderr:\n"
              + Files.readString(STDERR.get(p)));
    }
    return line;
  }

  @Test
  void aBanReachesAnotherJvmWithin100msAtP99() throws Exception {
    Process listener = child(REDIS.server().uri(), "p1:", "listen");
    try (RedisFleetStore store =
        RedisFleetStore.open(
            RedisSettings.builder(REDIS.server().uri()).keyPrefix("p1:").build())) {
      BlockingQueue<String> out = lines(listener);
      assertEquals("ready", next(listener, out, Duration.ofSeconds(150)));
      RedisFleetStoreTest.await("connected", store::connected);
      int bans = 200;
      List<Long> ms = new ArrayList<>();
      for (int i = 0; i < bans; i++) {
        BanKey key =
            BanKey.ofIp("shop.example", 443, InetAddress.getByName("127.0.2." + (i % 250 + 1)));
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        store.putBan(new Ban(key, "test", now, now.plus(Duration.ofMinutes(1))));
        String line = next(listener, out, Duration.ofSeconds(5));
        String[] parts = line.split(" ");
        assertEquals("heard", parts[0], line);
        assertEquals(key.id(), parts[1]);
        ms.add(Long.parseLong(parts[2]));
        Thread.sleep(10);
      }
      Collections.sort(ms);
      long p50 = ms.get(bans / 2);
      long p99 = ms.get((int) Math.ceil(bans * 0.99) - 1);
      System.out.printf(
          "ban propagation across JVMs: p50 %d ms, p99 %d ms, max %d ms%n",
          p50, p99, ms.get(bans - 1));
      assertTrue(p99 < 100, "p99 " + p99 + " ms");
    } finally {
      listener.getOutputStream().close();
      if (!listener.waitFor(10, TimeUnit.SECONDS)) {
        listener.destroyForcibly();
      }
    }
  }

  @Test
  void threeProcessesHoldTheSharedRateWithin10Percent() throws Exception {
    long seconds = Long.getLong("guise.redis.rateWindow", 60);
    double perSecond = 50;
    List<Process> children = new ArrayList<>();
    List<BlockingQueue<String>> outs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Process p =
            child(
                REDIS.server().uri(),
                "p2:",
                "take",
                "shop.example",
                Double.toString(perSecond),
                "5",
                Long.toString(seconds));
        children.add(p);
        outs.add(lines(p));
      }
      long total = 0;
      List<Long> each = new ArrayList<>();
      List<Long> cpuMs = new ArrayList<>();
      // JVMs start slowly on a loaded machine: the window opens once all three are connected.
      for (int i = 0; i < 3; i++) {
        assertEquals("ready", next(children.get(i), outs.get(i), Duration.ofSeconds(150)));
      }
      long start = System.currentTimeMillis() + 500;
      for (Process p : children) {
        p.getOutputStream().write((start + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
      }
      for (int i = 0; i < 3; i++) {
        String line = next(children.get(i), outs.get(i), Duration.ofSeconds(seconds + 60));
        assertTrue(line.startsWith("took "), line);
        String[] took = line.split(" ");
        long n = Long.parseLong(took[1]);
        each.add(n);
        total += n;
        cpuMs.add(Long.parseLong(took[2]));
      }
      double observed = total / (double) seconds;
      System.out.printf(
          "shared rate over %d s, 3 processes: configured %.1f/s, observed %.2f/s %s;"
              + " CPU ms per process (JVM start included) %s%n",
          seconds, perSecond, observed, each, cpuMs);
      assertTrue(
          Math.abs(observed - perSecond) <= perSecond * 0.10,
          "observed " + observed + "/s against " + perSecond + "/s: " + each);
      for (long n : each) {
        assertTrue(n > 0, "every process got a share: " + each);
      }
    } finally {
      for (Process p : children) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
