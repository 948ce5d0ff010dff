package dev.guise.soak;

import dev.guise.api.FailureKind;
import dev.guise.testkit.Fault;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What a soak saw: counters only, so a long run keeps nothing per request. Violations (capped at
 * 50) fail the soak; everything else is printed. A soak's own figures (sessions, proxies, Redis) go
 * into {@link #extra} as report lines.
 */
final class SoakFigures {
  final LongAdder requests = new LongAdder();
  final LongAdder responses = new LongAdder();
  final Map<String, LongAdder> responsesByProtocol = new ConcurrentHashMap<>();
  final Map<FailureKind, LongAdder> failuresByKind = new ConcurrentHashMap<>();
  final Map<FailureKind, String> exampleByKind = new ConcurrentHashMap<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final AtomicLong longestRequestMillis = new AtomicLong();
  final AtomicLong worstOverrunMillis = new AtomicLong();
  final AtomicLong peakHeap = new AtomicLong();
  final Map<Fault.Kind, Long> faults = new EnumMap<>(Fault.Kind.class);
  final Map<String, Object> extra = new LinkedHashMap<>();
  long restarts;
  long rebindFailures;
  long connectionsOpened;
  long connectionsClosed;
  long failedOpens;
  long retries;
  long bans;
  int ipsWithConnections;
  long heapBefore;
  long heapAfter;

  void violation(String v) {
    if (violations.size() < 50) {
      violations.add(v);
    }
  }

  void responded(String protocol) {
    responses.increment();
    responsesByProtocol.computeIfAbsent(protocol, k -> new LongAdder()).increment();
  }

  void failed(FailureKind kind, String message) {
    failuresByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    exampleByKind.putIfAbsent(kind, String.valueOf(message));
  }

  long failures() {
    return failuresByKind.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long failures(FailureKind kind) {
    LongAdder n = failuresByKind.get(kind);
    return n == null ? 0 : n.sum();
  }

  /** Requests that ended neither in a response nor in a failure: only a hang makes any. */
  long lost() {
    return requests.sum() - responses.sum() - failures();
  }

  /**
   * The request took {@code millis} of a {@code deadlineMillis} deadline; past the slack is hung.
   */
  void took(long millis, long deadlineMillis, long slackMillis, String what) {
    longestRequestMillis.accumulateAndGet(millis, Math::max);
    long overrun = millis - deadlineMillis;
    if (overrun > 0) {
      worstOverrunMillis.accumulateAndGet(overrun, Math::max);
    }
    if (overrun > slackMillis) {
      violation(what + " took " + millis + " ms, deadline " + deadlineMillis + " ms");
    }
  }

  void print(String title, long deadlineMillis) {
    String failures =
        failuresByKind.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue().sum())
            .collect(Collectors.joining(", "));
    String protocols =
        responsesByProtocol.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue().sum())
            .collect(Collectors.joining(", "));
    StringBuilder out = new StringBuilder();
    out.append("=== ").append(title).append(" ===\n");
    line(out, "requests", requests.sum() + " (lost: " + lost() + ")");
    line(out, "2xx responses", responses.sum() + " (" + protocols + ")");
    line(out, "failed (classified)", failures() + ": " + failures);
    line(
        out,
        "faults injected",
        faults
            + " (server restarts "
            + restarts
            + ", testkit rebind failures "
            + rebindFailures
            + ")");
    line(out, "retries", retries + ", bans started " + bans);
    line(
        out,
        "connections",
        "opened "
            + connectionsOpened
            + ", closed "
            + connectionsClosed
            + ", failed opens "
            + failedOpens
            + ", over "
            + ipsWithConnections
            + " routes (an IP, or an IP through a proxy)");
    line(
        out,
        "longest request",
        longestRequestMillis.get()
            + " ms (deadline "
            + deadlineMillis
            + " ms), worst overrun "
            + worstOverrunMillis.get()
            + " ms");
    line(
        out,
        "heap",
        "before "
            + SoakChecks.mib(heapBefore)
            + " MiB, peak "
            + SoakChecks.mib(peakHeap.get())
            + " MiB, after close + GC "
            + SoakChecks.mib(heapAfter)
            + " MiB");
    extra.forEach((k, v) -> line(out, k, String.valueOf(v)));
    line(out, "violations", Integer.toString(violations.size()));
    line(out, "examples", exampleByKind.toString());
    System.out.print(out);
  }

  private static void line(StringBuilder out, String name, String value) {
    out.append(String.format("%-20s%s%n", name, value));
  }
}
