package dev.guise.flink.internal;

import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.metrics.Counter;

/** A Flink counter that many threads may increment at once. */
public final class AdderCounter implements Counter {
  private final LongAdder count = new LongAdder();

  @Override
  public void inc() {
    count.increment();
  }

  @Override
  public void inc(long n) {
    count.add(n);
  }

  @Override
  public void dec() {
    count.decrement();
  }

  @Override
  public void dec(long n) {
    count.add(-n);
  }

  @Override
  public long getCount() {
    return count.sum();
  }
}
