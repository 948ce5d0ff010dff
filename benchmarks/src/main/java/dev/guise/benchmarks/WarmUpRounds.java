package dev.guise.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link WarmUp} benchmark's shots, every subject in turn in one JVM against one server, round
 * after round, each shot's wall time printed with the client's CPU (this process) and the server's
 * (its process, from {@code /proc}). Not JMH: a diagnostic for what JMH's single shots hide. They
 * are few, each in a fresh fork whose compiler is still at work, and the machine's drift lands on
 * whichever subject runs then; alternating the subjects shot by shot spreads it. The server's CPU
 * shows what a client makes it do (a resumed handshake costs it less).
 *
 * <pre>
 * java -cp target/classes:$(cat target/classpath.txt) dev.guise.benchmarks.WarmUpRounds \
 *     guise-bouncycastle,guise-bouncycastle-noresume,apache 12
 * </pre>
 *
 * Prints one line per shot; the first few rounds are the JIT's.
 */
public final class WarmUpRounds {
  private WarmUpRounds() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: WarmUpRounds SUBJECT[,SUBJECT...] ROUNDS");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[1]);
    List<WarmUp> subjects = new ArrayList<>();
    for (String name : args[0].split(",")) {
      WarmUp w = new WarmUp();
      w.subject = name;
      w.ips = 1000;
      w.tickets = 2;
      subjects.add(w);
    }
    WarmUp first = subjects.get(0);
    first.startServer();
    try {
      for (WarmUp w : subjects.subList(1, subjects.size())) {
        w.useServerOf(first);
      }
      OperatingSystemMXBean os =
          (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long server = first.serverPid();
      for (int r = 0; r < rounds; r++) {
        for (WarmUp w : subjects) {
          w.newClient();
          long clientBefore = os.getProcessCpuTime();
          long serverBefore = cpuNanos(server);
          long started = System.nanoTime();
          w.warmUp();
          long wall = System.nanoTime() - started;
          long client = os.getProcessCpuTime() - clientBefore;
          long serverCpu = cpuNanos(server) - serverBefore;
          w.closeClient();
          System.out.printf(
              "round %2d %-28s wall %5d ms  client CPU %5d ms  server CPU %5d ms%n",
              r, w.subject, wall / 1_000_000, client / 1_000_000, serverCpu / 1_000_000);
        }
      }
    } finally {
      first.stopServer();
    }
  }

  /** User and system time of process {@code pid}, from {@code /proc} (clock ticks of 10 ms). */
  private static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }
}
