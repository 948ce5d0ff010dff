package dev.guise.validators;

import dev.guise.api.ProbeRequest;
import dev.guise.api.ProbeResponse;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.validators.internal.Opts;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code head-path}: a HEAD request to a path on the connection's host; healthy when the status is
 * in the accepted range. Options: {@code path} (default {@code /}), {@code status} (default
 * {@code 200-399}). Immutable and thread-safe.
 */
public final class HeadPathValidator extends AbstractConnectionValidator {
  public static final String NAME = "head-path";

  private final String path;
  private final StatusRange accepted;

  public HeadPathValidator() {
    this("/", StatusRange.DEFAULT);
  }

  public HeadPathValidator(String path, StatusRange accepted) {
    this.path = Opts.requirePath(NAME, path);
    this.accepted = accepted;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected Verdict check(ValidationTarget target, Duration timeout) throws IOException {
    return judge(target.exchange(ProbeRequest.head(path), timeout), accepted, "HEAD " + path);
  }

  static Verdict judge(ProbeResponse r, StatusRange accepted, String what) {
    String detail = what + " -> " + r.status();
    return accepted.accepts(r.status())
        ? Verdict.ok(detail)
        : Verdict.unhealthy(Reason.STATUS, detail + " (accepted: " + accepted + ")");
  }

  @Override
  public ConnectionValidator withOptions(Map<String, String> options) {
    Opts o = new Opts(NAME, options, Set.of("path", "status"));
    return new HeadPathValidator(o.get("path", path), StatusRange.parseOr(o.get("status", null), accepted));
  }
}
