package dev.guise.api;

/**
 * How faithfully a TLS engine reproduces a named fingerprint.
 *
 * <p>Ordered from best to worst, so {@code a.compareTo(b) < 0} means {@code a} is more faithful.
 */
public enum Fidelity {
  /**
   * Byte-for-byte the browser's ClientHello, apart from the fields the browser itself randomises.
   */
  EXACT,
  /** Close to the browser (for example the same cipher suites and groups) but distinguishable. */
  APPROXIMATE,
  /** The engine's own hello; it makes no claim to look like any browser. */
  NONE
}
