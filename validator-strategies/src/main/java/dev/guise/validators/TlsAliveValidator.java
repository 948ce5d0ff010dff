package dev.guise.validators;

import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.ValidationTarget;
import java.time.Duration;

/**
 * {@code tls-alive}: no traffic at all. Healthy when the connection is open, the peer has sent
 * nothing unasked (on an idle connection that means a close or a stray response: half-closed or
 * broken) and it is not past its maximum lifetime. The cheapest check, and the weakest: it cannot
 * see a peer that vanished without a FIN.
 */
public final class TlsAliveValidator extends AbstractConnectionValidator {
  public static final String NAME = "tls-alive";

  public TlsAliveValidator() {
    super(NAME);
  }

  @Override
  protected Verdict check(ValidationTarget target, Duration timeout) {
    if (target.hasUnexpectedInput()) {
      return Verdict.unhealthy(Reason.CLOSED, "peer sent data or closed while idle (half-closed)");
    }
    Duration age = Duration.between(target.openedAt(), target.now());
    if (age.compareTo(target.maxLifetime()) >= 0) {
      return Verdict.unhealthy(
          Reason.CLOSED,
          "past its maximum lifetime ("
              + age.toSeconds()
              + " s old, limit "
              + target.maxLifetime().toSeconds()
              + " s)");
    }
    return Verdict.ok("open, idle, " + age.toSeconds() + " s old");
  }
}
