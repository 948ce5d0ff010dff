package dev.guise.testkit.internal;

import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultRule;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.Faults;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault rules of one server and their counters. One monitor guards rules and counters so that
 * "N requests let through, then fire" is exact under concurrent requests.
 */
public final class FaultTable implements Faults {
  private final Runnable listenersChanged;
  private final AtomicLong nextId = new AtomicLong(1);
  private final List<RuleState> rules = new ArrayList<>();
  private final EnumMap<Fault.Kind, Long> counts = new EnumMap<>(Fault.Kind.class);

  private static final class RuleState {
    final FaultRule rule;
    final Map<InetAddress, Long> seenPerAddress = new HashMap<>();
    long fired;

    RuleState(FaultRule rule) {
      this.rule = rule;
    }

    boolean exhausted() {
      int max = rule.fault().maxInjections();
      return max > 0 && fired >= max;
    }
  }

  /**
   * @param listenersChanged called (outside the lock) after a REFUSE rule came or went
   */
  public FaultTable(Runnable listenersChanged) {
    this.listenersChanged = listenersChanged;
    for (Fault.Kind k : Fault.Kind.values()) {
      counts.put(k, 0L);
    }
  }

  @Override
  public FaultRule add(FaultScope scope, Fault fault) {
    FaultRule rule = new FaultRule(nextId.getAndIncrement(), scope, fault);
    synchronized (this) {
      rules.add(new RuleState(rule));
    }
    if (fault.kind() == Fault.Kind.REFUSE) {
      listenersChanged.run();
    }
    return rule;
  }

  @Override
  public boolean remove(FaultRule rule) {
    boolean removed;
    synchronized (this) {
      removed = rules.removeIf(s -> s.rule.id() == rule.id());
    }
    if (removed && rule.fault().kind() == Fault.Kind.REFUSE) {
      listenersChanged.run();
    }
    return removed;
  }

  @Override
  public void clear() {
    boolean hadRefuse;
    synchronized (this) {
      hadRefuse = rules.stream().anyMatch(s -> s.rule.fault().kind() == Fault.Kind.REFUSE);
      rules.clear();
    }
    if (hadRefuse) {
      listenersChanged.run();
    }
  }

  @Override
  public synchronized List<FaultRule> rules() {
    return rules.stream().map(s -> s.rule).toList();
  }

  @Override
  public synchronized long injected(Fault.Kind kind) {
    return counts.get(kind);
  }

  @Override
  public synchronized long injected(FaultRule rule) {
    for (RuleState s : rules) {
      if (s.rule.id() == rule.id()) {
        return s.fired;
      }
    }
    return 0;
  }

  @Override
  public synchronized Map<Fault.Kind, Long> injectedCounts() {
    return Map.copyOf(counts);
  }

  synchronized void count(Fault.Kind kind) {
    counts.merge(kind, 1L, Long::sum);
  }

  /**
   * The request fault to apply to a request for {@code path} at {@code local}, counted as injected,
   * or empty. Each rule in scope counts the request towards its {@code afterRequests}.
   */
  synchronized Optional<Fault> requestFault(InetAddress local, String path) {
    for (RuleState s : rules) {
      Fault f = s.rule.fault();
      if (f.kind().connectionLevel() || s.exhausted() || !s.rule.scope().matches(local, path)) {
        continue;
      }
      long seen = s.seenPerAddress.merge(local, 1L, Long::sum);
      if (seen > f.afterRequests()) {
        s.fired++;
        count(f.kind());
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Whether a new connection to {@code local} must be answered with a TLS alert (counted). */
  synchronized boolean tlsAlert(InetAddress local) {
    for (RuleState s : rules) {
      Fault f = s.rule.fault();
      if (f.kind() == Fault.Kind.TLS_ALERT
          && !s.exhausted()
          && s.rule.scope().matches(local, null)) {
        s.fired++;
        count(f.kind());
        return true;
      }
    }
    return false;
  }

  /** Whether {@code local} must not be listening. */
  synchronized boolean refuses(InetAddress local) {
    for (RuleState s : rules) {
      if (s.rule.fault().kind() == Fault.Kind.REFUSE && s.rule.scope().matches(local, null)) {
        return true;
      }
    }
    return false;
  }

  /** The shortest IDLE_CLOSE timeout in force at {@code local}. */
  synchronized Optional<Duration> idleTimeout(InetAddress local) {
    Duration best = null;
    for (RuleState s : rules) {
      Fault f = s.rule.fault();
      if (f.kind() == Fault.Kind.IDLE_CLOSE
          && !s.exhausted()
          && s.rule.scope().matches(local, null)) {
        if (best == null || f.idleTimeout().compareTo(best) < 0) {
          best = f.idleTimeout();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Counts one idle close against the first IDLE_CLOSE rule in scope. */
  synchronized void idleClosed(InetAddress local) {
    for (RuleState s : rules) {
      Fault f = s.rule.fault();
      if (f.kind() == Fault.Kind.IDLE_CLOSE
          && !s.exhausted()
          && s.rule.scope().matches(local, null)) {
        s.fired++;
        break;
      }
    }
    count(Fault.Kind.IDLE_CLOSE);
  }

  /** Counts one unbinding of {@code local} by a REFUSE rule. */
  synchronized void refused(InetAddress local) {
    for (RuleState s : rules) {
      if (s.rule.fault().kind() == Fault.Kind.REFUSE && s.rule.scope().matches(local, null)) {
        s.fired++;
        break;
      }
    }
    count(Fault.Kind.REFUSE);
  }
}
