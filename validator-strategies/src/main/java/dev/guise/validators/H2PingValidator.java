package dev.guise.validators;

import dev.guise.api.HttpProtocol;
import dev.guise.api.ValidationTarget;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code h2-ping}: an HTTP/2 PING answered within the timeout; no request at all, so it costs the
 * site nothing and leaves no trace in its logs. Not applicable to HTTP/1.1 connections.
 */
public final class H2PingValidator extends AbstractConnectionValidator {
  public static final String NAME = "h2-ping";

  public H2PingValidator() {
    super(NAME);
  }

  @Override
  public boolean appliesTo(HttpProtocol protocol) {
    return protocol == HttpProtocol.HTTP_2;
  }

  @Override
  protected Verdict check(ValidationTarget target, Duration timeout) throws IOException {
    Duration rtt = target.ping(timeout);
    return Verdict.ok("PING answered in " + rtt.toMillis() + " ms");
  }
}
