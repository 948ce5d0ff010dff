package dev.guise.benchmarks;

import dev.guise.benchmarks.clients.HttpSubject;
import dev.guise.benchmarks.report.HtmlReport;
import dev.guise.benchmarks.report.Measurement;
import dev.guise.benchmarks.report.Results;
import dev.guise.benchmarks.server.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark (what {@code benchmarks/run} calls) and writes {@code target/results.json}
 * and {@code target/report.html} (tables and charts, see {@link HtmlReport}): JMH for the timed
 * benchmarks, {@link IdleMemory} in a fresh JVM per client for memory. Starts the two servers once
 * (Jetty; the testkit server on 1,000 IPs), each in its own process, and hands them to the forked
 * benchmark JVMs.
 *
 * <p>Arguments: {@code --quick} (short iterations, one fork: minutes), {@code --only REGEX} (the
 * benchmark classes or memory to run: {@code
 * HotRequests|Download|Handshakes|PoolAcquire|WarmUp|Hpack|IdleMemory}), {@code --param NAME=V1,V2}
 * (JMH parameter values to run, e.g. {@code protocol=h2}; repeatable), {@code --out DIR} (default
 * {@code target}).
 */
public final class BenchRunner {
  private BenchRunner() {}

  record Group(String name, int warmups, int warmupSeconds, int iterations, int seconds) {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Pattern only = Pattern.compile(".*");
    Path out = Path.of("target");
    Map<String, String[]> params = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--param" -> {
          String[] kv = args[++i].split("=", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException("--param wants NAME=V1,V2, not " + args[i]);
          }
          params.put(kv[0], kv[1].split(","));
        }
        case "--only" -> only = Pattern.compile(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Files.createDirectories(out);
    List<Group> groups =
        quick
            ? List.of(
                new Group("HotRequests", 1, 2, 2, 2),
                new Group("Download", 1, 1, 1, 2),
                new Group("Handshakes", 1, 2, 2, 2),
                new Group("PoolAcquire", 1, 1, 2, 1),
                new Group("Hpack", 1, 1, 2, 1),
                new Group("WarmUp", 4, 0, 2, 0))
            : List.of(
                new Group("HotRequests", -1, 0, -1, 0),
                new Group("Download", -1, 0, -1, 0),
                new Group("Handshakes", -1, 0, -1, 0),
                new Group("PoolAcquire", -1, 0, -1, 0),
                new Group("Hpack", -1, 0, -1, 0),
                new Group("WarmUp", -1, 0, -1, 0));

    List<Measurement> all = new ArrayList<>();
    long started = System.nanoTime();
    try (ServerProcess jetty = ServerProcess.start("jetty");
        ServerProcess many = ServerProcess.start("testkit", "1000");
        ServerProcess manyWithTickets =
            ServerProcess.start("testkit", "1000", WarmUp.SERVER_TICKETS)) {
      String[] serverProps = {
        "-D" + ServerProcess.property("jetty") + "=" + jetty.describe(),
        "-D" + ServerProcess.property("testkit 1000") + "=" + many.describe(),
        "-D"
            + ServerProcess.property("testkit 1000 " + WarmUp.SERVER_TICKETS)
            + "="
            + manyWithTickets.describe()
      };
      for (Group g : groups) {
        if (!only.matcher(g.name()).find()) {
          continue;
        }
        Path json = out.resolve("jmh-" + g.name() + ".json");
        ChainedOptionsBuilder o =
            new OptionsBuilder()
                .include("dev\\.guise\\.benchmarks\\." + g.name() + "\\.")
                .jvmArgsPrepend(serverProps)
                .addProfiler(CpuPerOpProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true);
        params.forEach(o::param);
        if (g.warmups() >= 0) {
          o.forks(1).warmupIterations(g.warmups()).measurementIterations(g.iterations());
          if (g.seconds() > 0) {
            o.warmupTime(TimeValue.seconds(g.warmupSeconds()))
                .measurementTime(TimeValue.seconds(g.seconds()));
          }
        }
        new Runner(o.build()).run();
        all.addAll(Results.fromJmh(Files.readString(json)));
      }
      if (only.matcher("IdleMemory").find()) {
        int n = quick ? 100 : 300;
        for (String protocol : List.of("http1", "h2")) {
          for (String subject : HttpSubject.ALL) {
            Measurement m = idleMemory(subject, protocol, n, serverProps);
            if (m != null) {
              all.add(m);
            }
          }
        }
      }
    }
    List<Results.Entry> entries = Results.compare(all);
    Files.writeString(out.resolve("results.json"), Results.toJson(entries));
    Files.writeString(out.resolve("measurements.json"), Results.measurementsToJson(all));
    String machine = machine();
    Files.writeString(out.resolve("machine.txt"), machine + "\n");
    Files.writeString(out.resolve("report.html"), HtmlReport.render(all, entries, machine));
    System.out.println();
    System.out.println("Machine: " + machine);
    System.out.printf("Took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    System.out.println();
    System.out.println("All measurements:");
    System.out.println(Results.rawTable(all));
    System.out.println("Guise against the best peer (results.json):");
    System.out.println(Results.table(entries));
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " CPUs, "
        + cpuModel()
        + ", "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version");
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static Measurement idleMemory(
      String subject, String protocol, int n, String[] serverProps)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(serverProps));
    cmd.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-Xms512m",
            "-Xmx512m",
            "-XX:NativeMemoryTracking=summary",
            "--enable-native-access=ALL-UNNAMED",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            IdleMemory.class.getName(),
            subject,
            protocol,
            Integer.toString(n)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Measurement result = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          String[] f = line.split(" ");
          result =
              new Measurement(
                  "IdleMemory",
                  "protocol=" + protocol,
                  subject,
                  "retained.heap.per.connection",
                  "bytes",
                  Double.parseDouble(f[3]),
                  Double.NaN,
                  false);
          System.out.println(
              "# idle memory " + subject + " " + protocol + ": " + f[3] + " bytes/connection");
        } else {
          System.out.println("# idle memory " + subject + " " + protocol + ": " + line);
        }
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    if (result == null) {
      System.out.println(
          "# idle memory " + subject + " " + protocol + ": FAILED (exit " + p.exitValue() + ")");
    }
    return result;
  }
}
