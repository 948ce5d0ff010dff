/**
 * Guise's service provider interfaces and the value types they speak in.
 *
 * <p>Four SPIs, each found with {@link java.util.ServiceLoader} on the module path ({@code
 * provides} in a module descriptor) and on the class path ({@code META-INF/services}): {@link
 * dev.guise.api.spi.TlsEngine}, {@link dev.guise.api.spi.RetryPolicy}, {@link
 * dev.guise.api.spi.FailureClassifier} and {@link dev.guise.api.spi.ConnectionValidator}. {@link
 * dev.guise.api.spi.Providers} looks them up by name.
 *
 * <p>This module depends on nothing but {@code java.base}.
 */
module dev.guise.api {
  exports dev.guise.api;
  exports dev.guise.api.spi;

  uses dev.guise.api.spi.TlsEngine;
  uses dev.guise.api.spi.RetryPolicy;
  uses dev.guise.api.spi.FailureClassifier;
  uses dev.guise.api.spi.ConnectionValidator;
}
