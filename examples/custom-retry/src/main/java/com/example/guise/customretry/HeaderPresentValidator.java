package com.example.guise.customretry;

import dev.guise.api.ProbeRequest;
import dev.guise.api.ProbeResponse;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.ProviderOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Healthy when a HEAD to {@code /} answers 2xx with a given response header: some CDNs answer a
 * blocked client with a bare 200 page that lacks their usual headers.
 *
 * <p>Named {@code header-present}. Option: {@code header} (default {@code server}).
 */
public final class HeaderPresentValidator implements ConnectionValidator {
  private final String header;

  public HeaderPresentValidator() {
    this("server");
  }

  public HeaderPresentValidator(String header) {
    this.header = header;
  }

  @Override
  public String name() {
    return "header-present";
  }

  @Override
  public ValidationResult validate(ValidationTarget target, Duration timeout) {
    long start = System.nanoTime();
    try {
      ProbeResponse r = target.exchange(ProbeRequest.head("/"), timeout);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (r.status() / 100 != 2) {
        return ValidationResult.unhealthy(Reason.STATUS, "status " + r.status(), took);
      }
      boolean present = r.headers().stream().anyMatch(h -> h.is(header));
      return present
          ? ValidationResult.ok(header + " present", took)
          : ValidationResult.unhealthy(Reason.STATUS, "no " + header + " header", took);
    } catch (IOException e) {
      return ValidationResult.unhealthy(
          Reason.ERROR,
          String.valueOf(e.getMessage()),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  @Override
  public ConnectionValidator withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(name(), options, "header");
    return new HeaderPresentValidator(o.getString("header", header));
  }
}
