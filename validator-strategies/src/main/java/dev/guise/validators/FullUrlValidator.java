package dev.guise.validators;

import dev.guise.api.ProbeRequest;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.ProviderOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code full-url}: a HEAD request to a full {@code https} URL, whose host must be the connection's
 * host (checking another host over this connection would prove nothing about it). Options: {@code
 * url} (required), {@code status} (default {@code 200-399}). Immutable and thread-safe.
 *
 * <p>A URL whose host differs from the connection's is a configuration error: the result is
 * unhealthy with reason {@code ERROR} and a message saying so, never a request to the wrong host.
 */
public final class FullUrlValidator extends AbstractConnectionValidator {
  public static final String NAME = "full-url";

  private static final String URL_SYNTAX =
      "an https URL on the connection's host, such as url=https://host/path";

  private final Optional<URI> url;
  private final StatusRange accepted;

  /** Unconfigured: validating with it is a clear configuration error until {@code url} is set. */
  public FullUrlValidator() {
    super(NAME);
    this.url = Optional.empty();
    this.accepted = StatusRange.DEFAULT;
  }

  public FullUrlValidator(URI url, StatusRange accepted) {
    super(NAME);
    this.url = Optional.of(requireHttps(url));
    this.accepted = accepted;
  }

  private static URI requireHttps(URI url) {
    if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("'" + NAME + "' needs an https URL with a host: " + url);
    }
    return url;
  }

  @Override
  protected Verdict check(ValidationTarget target, Duration timeout) throws IOException {
    if (url.isEmpty()) {
      return Verdict.unhealthy(
          Reason.ERROR,
          "configuration error: '" + NAME + "' needs the option url=https://host/path");
    }
    URI u = url.get();
    String host = target.endpoint().host();
    int port = u.getPort() < 0 ? 443 : u.getPort();
    if (!u.getHost().equalsIgnoreCase(host) || port != target.endpoint().port()) {
      return Verdict.unhealthy(
          Reason.ERROR,
          "configuration error: URL "
              + u
              + " is not on this connection's host "
              + target.endpoint().authority());
    }
    String path =
        (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
            + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    return HttpProbes.judge(
        target.exchange(ProbeRequest.head(path), timeout), accepted, "HEAD " + u);
  }

  @Override
  public ConnectionValidator withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(NAME, options, "url", "status");
    // An unconfigured validator cannot do without url; a configured one keeps its own.
    URI u =
        url.isPresent()
            ? o.get("url", url.get(), t -> requireHttps(URI.create(t)), URL_SYNTAX)
            : o.getRequired("url", t -> requireHttps(URI.create(t)), URL_SYNTAX);
    return new FullUrlValidator(u, HttpProbes.statusOption(o, accepted));
  }
}
