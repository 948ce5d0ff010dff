package dev.guise.cli.internal;

import dev.guise.pool.WarmUpProgress;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows how far a long step is: on a terminal a bar redrawn in place with carriage returns,
 * otherwise a plain line at each quarter. Thread-safe: workers report concurrently.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final boolean interactive;
  private final String label;
  private int lastQuarter;
  private long lastDrawNanos;

  Progress(PrintStream err, boolean interactive, String label) {
    this.err = err;
    this.interactive = interactive;
    this.label = label;
  }

  /** {@code done} of {@code total} finished, {@code failed} of them failed. */
  synchronized void update(int done, int total, int failed) {
    if (interactive) {
      long now = System.nanoTime();
      // Redrawing for each of hundreds of quick updates would only flood the terminal.
      if (done < total && now - lastDrawNanos < 50_000_000L) {
        return;
      }
      lastDrawNanos = now;
      int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
      err.print(
          "\r"
              + label
              + " ["
              + "#".repeat(filled)
              + ".".repeat(WIDTH - filled)
              + "] "
              + done
              + "/"
              + total
              + (failed > 0 ? ", " + failed + " failed" : "")
              + "   ");
      if (done == total) {
        err.println();
      }
      err.flush();
    } else {
      int quarter = total == 0 ? 4 : (int) ((long) done * 4 / total);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        err.println(
            label
                + ": "
                + done
                + "/"
                + total
                + " done"
                + (failed > 0 ? ", " + failed + " failed" : ""));
        err.flush();
      }
    }
  }

  /** A warm-up listener drawing this bar, counting the IPs that failed. */
  WarmUpProgress warmUpListener() {
    AtomicInteger failed = new AtomicInteger();
    return (ip, failure, done, total) ->
        update(done, total, failure == null ? failed.get() : failed.incrementAndGet());
  }
}
