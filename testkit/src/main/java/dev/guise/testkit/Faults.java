package dev.guise.testkit;

import java.util.List;
import java.util.Map;

/**
 * The fault plan of one {@link TestServer}, changeable while it runs.
 *
 * <p>Rules are checked in the order they were added; the first that matches and fires decides.
 * Adding or removing a {@link Fault.Kind#REFUSE} rule binds or unbinds the listening sockets before
 * the call returns. Every injection is counted per kind, so tests can assert that what they
 * provoked really happened.
 *
 * <p>Thread-safe.
 */
public interface Faults {
  /** Installs {@code fault} for {@code scope}. */
  FaultRule add(FaultScope scope, Fault fault);

  /** Installs {@code fault} everywhere. */
  default FaultRule add(Fault fault) {
    return add(FaultScope.everywhere(), fault);
  }

  /** Removes one rule; false if it was not installed. */
  boolean remove(FaultRule rule);

  /** Removes every rule (the counters stay). */
  void clear();

  /** The installed rules in order. */
  List<FaultRule> rules();

  /** How many times a fault of {@code kind} was injected since the server was built. */
  long injected(Fault.Kind kind);

  /** How many times {@code rule} fired. */
  long injected(FaultRule rule);

  /** Every kind's injection count. */
  Map<Fault.Kind, Long> injectedCounts();
}
