package dev.guise.codec.io;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer for I/O deadlines in Guise: writes blocked past their deadline, handshakes past
 * theirs, a close_notify the peer never lets through. The HTTP connections and both TLS engines
 * share it. Its thread starts on first use and exits after a second with nothing scheduled, so an
 * application that closed its pools keeps no thread of Guise's. Tasks must be short and must not
 * block (they close sockets).
 */
public final class IoDeadlines {
  private static final ScheduledThreadPoolExecutor TIMER = create();

  private IoDeadlines() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "guise-io-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    // A cancelled guard (the write finished in time) must not keep the thread alive until its
    // deadline would have come.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** The shared timer. */
  public static ScheduledThreadPoolExecutor timer() {
    return TIMER;
  }
}
