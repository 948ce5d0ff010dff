package dev.guise.session.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Headless Chromium for the interop tests: every host name resolves to loopback, http stays http,
 * and the run ends when the test has seen what it needs or the browser exits, whichever is first.
 */
final class HeadlessChromium {
  /** How long a run may take on a loaded machine before the test fails. */
  private static final long LIMIT_SECONDS = 120;

  private HeadlessChromium() {}

  /**
   * Opens {@code url} in a fresh headless Chromium with the profile directory {@code profile} and
   * these extra flags, and returns once {@code done} holds or the browser has exited.
   *
   * @throws AssertionError when neither happens within two minutes
   */
  static void open(Path profile, String url, List<String> flags, BooleanSupplier done)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--host-resolver-rules=MAP * 127.0.0.1",
                // Keep http navigations http: the upgrade is not the subject of any test here.
                "--disable-features=HttpsUpgrades",
                "--dump-dom"));
    command.addAll(flags);
    command.add(url);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      // With --dump-dom a loaded machine can keep the browser alive long after the page is done,
      // so the test's own condition ends the run as soon as it holds.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
      while (!done.getAsBoolean() && p.isAlive() && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      if (!done.getAsBoolean() && !p.waitFor(1, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "chromium neither finished nor did what the test waits for in " + LIMIT_SECONDS + " s");
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
