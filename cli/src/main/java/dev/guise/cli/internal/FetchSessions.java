package dev.guise.cli.internal;

import dev.guise.pool.GuiseClient;
import java.util.List;

/**
 * Chooses what carries {@code guise fetch}'s requests. Today that is the pool alone ({@link
 * PoolFetchSession}), which cannot follow redirects, send a request as a sub-resource or keep
 * cookies: the options asking for those are refused by name rather than ignored. Once the browser
 * session ({@code dev.guise.session}) is here, {@link #requireSupported} accepts them and {@link
 * #open} returns a session-backed implementation; nothing else in the command changes.
 */
final class FetchSessions {
  private FetchSessions() {}

  /**
   * Fails, before anything is opened, when the plan uses an option this build cannot honour.
   *
   * @throws CliException a usage error naming the first such option
   */
  static void requireSupported(FetchPlan plan) {
    List<String> needs = plan.sessionOptions();
    if (!needs.isEmpty()) {
      throw CliException.usage(
          needs.get(0)
              + " needs a browser session (redirects, request kinds, cookies), which this build"
              + " of guise does not have yet; leave "
              + String.join(", ", needs)
              + " out; see 'guise fetch --help'");
    }
  }

  /** The session for the plan, over {@code client}'s pool. */
  static FetchSession open(FetchPlan plan, GuiseClient client) {
    return new PoolFetchSession(
        client, plan.settings().timeout(), plan.settings().connectTo().orElse(null));
  }
}
