package dev.guise.cli.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.redis.RedisSettings;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code guise demo --fleet N}: N crawler processes (JVMs of their own, {@link FleetWorker}) on one
 * testkit server, sharing bans and one rate limit per host through Redis: the one given by {@code
 * --redis URL}, or a redis-server this command starts on loopback. Some IPs answer 403, so the
 * process that meets one first bans it and the others learn it from the fleet.
 */
final class FleetDemo {
  private static final String HOST = DemoCommand.HOST;
  private static final Duration START = Duration.ofSeconds(120);

  private FleetDemo() {}

  record Settings(
      int processes,
      int ips,
      Duration window,
      double ratePerSecond,
      String engine,
      String redis,
      boolean json) {}

  static int run(Settings s, Io io) throws Exception {
    LocalRedis local = null;
    String redis = s.redis();
    if (redis == null) {
      if (!LocalRedis.installed()) {
        throw new CliException(CliException.USAGE, LocalRedis.MISSING);
      }
      local = LocalRedis.start();
      redis = local.uri();
    }
    String masked = RedisSettings.builder(redis).build().maskedUri();
    Path dir = Files.createTempDirectory("guise-demo-fleet-");
    List<Process> workers = new ArrayList<>();
    try (TestServer server =
        TestServer.builder().loopbackAddresses(s.ips()).hostNames(HOST).build()) {
      server.start();
      List<InetAddress> ips = server.addresses();
      List<InetAddress> blocked = blocked(ips);
      for (InetAddress ip : blocked) {
        server.faults().add(FaultScope.address(ip), Fault.status(403));
      }
      Path ca = dir.resolve("ca.der");
      Files.write(ca, server.certificateAuthority().certificate().getEncoded());
      String prefix = "guise-demo-" + UUID.randomUUID() + ":";
      io.err()
          .printf(
              "guise demo --fleet: %d processes, %s:%d on %d loopback IPs (%d answer 403),"
                  + " Redis %s, %.0f requests/s for the fleet, %d s%n",
              s.processes(),
              HOST,
              server.port(),
              ips.size(),
              blocked.size(),
              masked,
              s.ratePerSecond(),
              s.window().toSeconds());
      List<BlockingQueue<String>> outs = new ArrayList<>();
      List<Path> errs = new ArrayList<>();
      for (int i = 0; i < s.processes(); i++) {
        FleetWorker.Plan plan =
            new FleetWorker.Plan(
                i,
                redis,
                prefix,
                HOST,
                server.port(),
                ca,
                ips,
                s.engine(),
                s.ratePerSecond(),
                Math.max(1, (int) Math.ceil(s.ratePerSecond() / 10)),
                s.window());
        Path planFile = dir.resolve("worker-" + i + ".properties");
        plan.write(planFile);
        Path err = dir.resolve("worker-" + i + ".err");
        errs.add(err);
        Process p = new ProcessBuilder(command(planFile)).redirectError(err.toFile()).start();
        workers.add(p);
        outs.add(lines(p));
      }
      for (int i = 0; i < workers.size(); i++) {
        expect("ready", i, workers.get(i), outs.get(i), errs.get(i), START);
      }
      long before = server.requestsReceived();
      long startAt = System.currentTimeMillis() + 300;
      for (Process p : workers) {
        p.getOutputStream().write((startAt + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
      }
      List<Map<String, Object>> perProcess = new ArrayList<>();
      for (int i = 0; i < workers.size(); i++) {
        String line =
            expect("{", i, workers.get(i), outs.get(i), errs.get(i), s.window().plusSeconds(60));
        perProcess.add(JSON.std.mapFrom(line));
      }
      long received = server.requestsReceived() - before;
      FleetReport report =
          FleetReport.of(
              perProcess, masked, s.ratePerSecond(), received, s.window(), blocked.size());
      io.out().print(s.json() ? JsonOutput.write(Map.of("fleet", report.json())) : report.text());
      return report.requestsToBannedAfterPropagation() == 0 ? 0 : 1;
    } finally {
      for (Process p : workers) {
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (local != null) {
        local.close();
      }
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Every fifth IP (at least one) answers 403: one process bans it, the others hear of it. */
  private static List<InetAddress> blocked(List<InetAddress> ips) {
    List<InetAddress> out = new ArrayList<>();
    for (int i = 1; i < ips.size(); i += 5) {
      out.add(ips.get(i));
    }
    if (out.isEmpty()) {
      out.add(ips.get(0));
    }
    return out;
  }

  /** This JVM again (same module or class path), running {@code guise demo --fleet-worker}. */
  private static List<String> command(Path plan) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.add("-Xmx256m");
    c.addAll(moduleOptions());
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    if (!modulePath.isEmpty()) {
      c.add("--module-path");
      c.add(modulePath);
      if (!classPath.isEmpty()) {
        c.add("-cp");
        c.add(classPath);
      }
      c.add("-m");
      c.add("dev.guise.cli/dev.guise.cli.Main");
    } else {
      c.add("-cp");
      c.add(classPath);
      c.add("dev.guise.cli.Main");
    }
    c.addAll(List.of("demo", "--fleet-worker", plan.toString()));
    return c;
  }

  /**
   * This JVM's options that open or export modules ({@code --add-opens} for the BouncyCastle
   * engine, {@code --enable-native-access} for Conscrypt, as the guise script gives them): a worker
   * needs them to run the same engines.
   */
  private static List<String> moduleOptions() {
    List<String> out = new ArrayList<>();
    String[] args = ProcessHandle.current().info().arguments().orElse(new String[0]);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean spaced =
          a.equals("--add-opens")
              || a.equals("--add-exports")
              || a.equals("--add-reads")
              || a.equals("--enable-native-access");
      if (spaced && i + 1 < args.length) {
        out.add(a);
        out.add(args[++i]);
      } else if (a.startsWith("--add-opens=")
          || a.startsWith("--add-exports=")
          || a.startsWith("--add-reads=")
          || a.startsWith("--enable-native-access=")) {
        out.add(a);
      }
    }
    return out;
  }

  private static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  q.add(line);
                }
              } catch (IOException ignored) {
                // the worker ended
              }
            });
    return q;
  }

  /** The worker's next line that starts with {@code start}, within {@code within}. */
  private static String expect(
      String start, int index, Process p, BlockingQueue<String> q, Path err, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String line = q.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        String said = Files.exists(err) ? Files.readString(err) : "";
        String tail = said.length() > 2000 ? said.substring(said.length() - 2000) : said;
        throw new CliException(
            CliException.FAILED,
            "fleet process "
                + index
                + " said nothing within "
                + within.toSeconds()
                + " s"
                + (p.isAlive() ? "" : " (it ended with " + p.exitValue() + ")")
                + "; the end of its stderr:\n"
                + tail);
      }
      if (line.startsWith(start)) {
        return line;
      }
    }
  }
}
