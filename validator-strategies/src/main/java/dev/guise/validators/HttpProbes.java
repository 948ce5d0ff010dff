package dev.guise.validators;

import dev.guise.api.ProbeResponse;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.spi.ProviderOptions;
import dev.guise.validators.AbstractConnectionValidator.Verdict;

/**
 * What the validators that send a request ({@code head-path}, {@code full-url}, {@code
 * get-limited}) share: the {@code path} and {@code status} options and the judging of the answer,
 * written once so that the three read and report them alike.
 */
final class HttpProbes {
  static final String PATH_SYNTAX = "a path starting with '/', such as /health";
  static final String STATUS_SYNTAX = "a status range such as 200-399 or 200-299|304";

  private HttpProbes() {}

  /** {@code path}, or a clear error naming the validator when it does not start with '/'. */
  static String requirePath(String validator, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("'" + validator + "' path must start with '/': " + path);
    }
    return path;
  }

  /** The {@code path} option, or {@code fallback}. */
  static String pathOption(ProviderOptions o, String fallback) {
    return o.get("path", fallback, p -> requirePath(o.provider(), p), PATH_SYNTAX);
  }

  /** The {@code status} option, or {@code fallback}. */
  static StatusRange statusOption(ProviderOptions o, StatusRange fallback) {
    return o.get("status", fallback, StatusRange::parse, STATUS_SYNTAX);
  }

  /** Healthy when the status is accepted; {@code what} describes the request, as "HEAD /". */
  static Verdict judge(ProbeResponse r, StatusRange accepted, String what) {
    String detail = what + " -> " + r.status();
    return accepted.accepts(r.status())
        ? Verdict.ok(detail)
        : Verdict.unhealthy(Reason.STATUS, detail + " (accepted: " + accepted + ")");
  }
}
