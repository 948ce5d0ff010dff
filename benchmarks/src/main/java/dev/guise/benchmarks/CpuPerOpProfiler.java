package dev.guise.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Client CPU per operation: the benchmark JVM's process CPU time (every thread: callers, the
 * client's own I/O threads, GC and JIT alike) over an iteration, divided by the operations JMH
 * counted in it. The server runs in another process, so none of its CPU is counted.
 *
 * <p>Reported as the secondary metric {@value #LABEL} in ns/op. The same for every subject, so the
 * comparison is fair even though JMH's own bookkeeping is included (it is a small, equal share).
 */
public final class CpuPerOpProfiler implements InternalProfiler {
  public static final String LABEL = "cpu.per.op";
  private long cpuBefore;

  @Override
  public String getDescription() {
    return "process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuBefore = processCpuNanos();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = processCpuNanos() - cpuBefore;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : (double) cpu / ops;
    return List.of(new ScalarResult(LABEL, perOp, "ns/op", AggregationPolicy.AVG));
  }

  static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
