package dev.guise.validators;

import dev.guise.api.ProbeRequest;
import dev.guise.api.ProbeResponse;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.ProviderOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code get-limited}: a GET to a path reading at most {@code max-body} bytes of the body (the rest
 * is discarded by the connection, or the connection is closed when that is cheaper, as HTTP
 * allows); healthy when the status is accepted. Options: {@code path} (default {@code /}), {@code
 * max-body} (bytes, default 16384), {@code status} (default {@code 200-399}).
 */
public final class GetLimitedValidator extends AbstractConnectionValidator {
  public static final String NAME = "get-limited";

  private final String path;
  private final int maxBody;
  private final StatusRange accepted;

  public GetLimitedValidator() {
    this("/", 16 * 1024, StatusRange.DEFAULT);
  }

  public GetLimitedValidator(String path, int maxBody, StatusRange accepted) {
    super(NAME);
    this.path = HttpProbes.requirePath(NAME, path);
    if (maxBody < 0) {
      throw new IllegalArgumentException("'" + NAME + "' max-body must not be negative");
    }
    this.maxBody = maxBody;
    this.accepted = accepted;
  }

  @Override
  protected Verdict check(ValidationTarget target, Duration timeout) throws IOException {
    ProbeResponse r = target.exchange(ProbeRequest.get(path, maxBody), timeout);
    return HttpProbes.judge(
        r,
        accepted,
        "GET " + path + (r.bodyTruncated() ? " (body capped at " + maxBody + " bytes)" : ""));
  }

  @Override
  public ConnectionValidator withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(NAME, options, "path", "max-body", "status");
    return new GetLimitedValidator(
        HttpProbes.pathOption(o, path),
        o.getInt("max-body", maxBody, 0, Integer.MAX_VALUE),
        HttpProbes.statusOption(o, accepted));
  }
}
