package dev.guise.pool.internal;

import dev.guise.api.PoolAction;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.stats.HealthReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The health check: judges every idle connection of every route at the clock's current time, and
 * says what it did in a {@link HealthReport}. It closes idle connections past the idle timeout or
 * the maximum lifetime, broken or half-closed ones, those with at least {@code errorThreshold}
 * errors, and revalidates idle ones not validated for a health-check interval (on the validation
 * executor; the report counts the validations finished within the validation timeout and a second).
 * Busy connections are judged by their route when their last lease comes back. How it takes idle
 * connections without racing leases: {@code docs/concurrency.md}, "The pool".
 */
final class HealthChecker {
  private final Clock clock;
  private final Connector connector;
  private final Executor validationExecutor;
  private final boolean validates;
  private final long maxLifetimeMillis;
  private final long idleTimeoutMillis;
  private final long healthCheckIntervalMillis;
  private final int errorThreshold;
  private final long validationWaitMillis;

  HealthChecker(PoolConfig config, Connector connector, Executor validationExecutor) {
    this.clock = config.clock();
    this.connector = connector;
    this.validationExecutor = validationExecutor;
    this.validates = config.validator().isPresent();
    this.maxLifetimeMillis = config.timeouts().maxLifetime().toMillis();
    this.idleTimeoutMillis = config.timeouts().idle().toMillis();
    this.healthCheckIntervalMillis = config.healthChecks().interval().toMillis();
    this.errorThreshold = config.healthChecks().errorThreshold();
    this.validationWaitMillis = config.timeouts().validation().toMillis() + 1000;
  }

  /** One pass over {@code hosts}. */
  HealthReport check(Collection<HostRoutes> hosts) {
    Pass pass = new Pass(clock.millis());
    List<Loan> toValidate = new ArrayList<>();
    for (HostRoutes h : hosts) {
      for (RoutePool route : h.routes) {
        toValidate.addAll(route.check(pass));
      }
    }
    AtomicInteger validated = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(toValidate.size());
    for (Loan loan : toValidate) {
      validationExecutor.execute(
          () -> {
            try {
              boolean ok = connector.validate(loan.connection).healthy();
              (ok ? validated : failed).incrementAndGet();
              loan.connection.pool.release(
                  loan, ok ? PoolAction.KEEP : PoolAction.DISCARD_CONNECTION, ok, clock.millis());
            } finally {
              done.countDown();
            }
          });
    }
    try {
      done.await(validationWaitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new HealthReport(
        pass.idle, pass.old, pass.broken, pass.unhealthy, validated.get(), failed.get());
  }

  /** The judgement of one pass, and its counts. Routes call it with their host lock held. */
  private final class Pass implements RoutePool.IdleCheck {
    private final long now;
    int idle;
    int old;
    int broken;
    int unhealthy;

    Pass(long now) {
      this.now = now;
    }

    @Override
    public String closeReason(PooledConnection c) {
      if (now - c.openedAt >= maxLifetimeMillis) {
        old++;
        return "past its maximum lifetime";
      } else if (now - c.lastUsedAt >= idleTimeoutMillis) {
        idle++;
        return "idle longer than the idle timeout";
      } else if (c.errors >= errorThreshold) {
        unhealthy++;
        return "unhealthy: " + c.errors + " errors";
      } else if (!c.http.isUsable() || c.http.hasUnexpectedInput()) {
        broken++;
        return "closed or half-closed by the peer";
      }
      return null;
    }

    @Override
    public boolean dueForValidation(PooledConnection c) {
      return validates && now - c.lastValidatedAt >= healthCheckIntervalMillis;
    }
  }
}
