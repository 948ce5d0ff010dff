package dev.guise.benchmarks.report;

/**
 * One measured figure of one subject.
 *
 * @param benchmark what was measured, e.g. {@code HotRequests.callers64}
 * @param scenario the parameters other than the subject, e.g. {@code protocol=h2} (empty if none)
 * @param subject the client or pool measured, e.g. {@code guise-jdk}, {@code okhttp}
 * @param metric e.g. {@code throughput}, {@code cpu.per.op}
 * @param unit e.g. {@code ops/s}
 * @param value the score
 * @param error JMH's 99.9% confidence half-width, NaN when unknown
 * @param higherIsBetter whether a higher value is better
 */
public record Measurement(
    String benchmark,
    String scenario,
    String subject,
    String metric,
    String unit,
    double value,
    double error,
    boolean higherIsBetter) {

  /** Whether the subject is one of Guise's (its name starts with {@code guise}). */
  public boolean isGuise() {
    return subject.startsWith("guise");
  }

  /** The benchmark and scenario, as one label. */
  public String label() {
    return scenario.isEmpty() ? benchmark : benchmark + " [" + scenario + "]";
  }
}
