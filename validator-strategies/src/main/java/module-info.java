/**
 * Connection validators: {@code head-path}, {@code full-url}, {@code get-limited}, {@code h2-ping}
 * and {@code tls-alive}. Pick one by name with {@link
 * dev.guise.api.spi.Providers#connectionValidator}.
 */
module dev.guise.validators {
  requires transitive dev.guise.api;

  exports dev.guise.validators;

  provides dev.guise.api.spi.ConnectionValidator with
      dev.guise.validators.HeadPathValidator,
      dev.guise.validators.FullUrlValidator,
      dev.guise.validators.GetLimitedValidator,
      dev.guise.validators.H2PingValidator,
      dev.guise.validators.TlsAliveValidator;
}
