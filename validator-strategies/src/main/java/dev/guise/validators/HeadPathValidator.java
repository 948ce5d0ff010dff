package dev.guise.validators;

import dev.guise.api.ProbeRequest;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.ProviderOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code head-path}: a HEAD request to a path on the connection's host; healthy when the status is
 * in the accepted range. Options: {@code path} (default {@code /}), {@code status} (default {@code
 * 200-399}). Immutable and thread-safe.
 */
public final class HeadPathValidator extends AbstractConnectionValidator {
  public static final String NAME = "head-path";

  private final String path;
  private final StatusRange accepted;

  public HeadPathValidator() {
    this("/", StatusRange.DEFAULT);
  }

  public HeadPathValidator(String path, StatusRange accepted) {
    super(NAME);
    this.path = HttpProbes.requirePath(NAME, path);
    this.accepted = accepted;
  }

  @Override
  protected Verdict check(ValidationTarget target, Duration timeout) throws IOException {
    return HttpProbes.judge(
        target.exchange(ProbeRequest.head(path), timeout), accepted, "HEAD " + path);
  }

  @Override
  public ConnectionValidator withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(NAME, options, "path", "status");
    return new HeadPathValidator(
        HttpProbes.pathOption(o, path), HttpProbes.statusOption(o, accepted));
  }
}
