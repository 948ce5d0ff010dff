package dev.guise.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Finds Guise's plugins with {@link ServiceLoader} and picks them by name.
 *
 * <p>Discovery works on the module path (a module that {@code provides} the SPI) and on the class
 * path (a {@code META-INF/services} file), through the thread's context class loader or, when it
 * has none, this module's loader. Each call looks again, so a result reflects the current loader;
 * callers that look up often should keep what they found.
 *
 * <p>A <em>spec</em> names a provider and, optionally, its options: {@code head-path} or {@code
 * head-path:path=/health,status=200-299}. Options are handed to the provider's {@code withOptions};
 * {@link ProviderOptions} describes their syntax (durations, lists) and reads them, and malformed
 * options text is an {@link InvalidOptionException}.
 *
 * <p>Errors: an unknown name is an {@link UnknownProviderException} listing the names available;
 * two providers with one name are an {@link IllegalStateException} naming both classes (the module
 * path and the class path holding the same plugin twice is the usual cause).
 */
public final class Providers {
  private Providers() {}

  /** Every TLS engine found, usable or not (see {@link TlsEngine#unavailableReason()}). */
  public static List<TlsEngine> tlsEngines() {
    return load(TlsEngine.class, TlsEngine::name);
  }

  /** Every retry policy found. */
  public static List<RetryPolicy> retryPolicies() {
    return load(RetryPolicy.class, RetryPolicy::name);
  }

  /** Every failure classifier found. */
  public static List<FailureClassifier> failureClassifiers() {
    return load(FailureClassifier.class, FailureClassifier::name);
  }

  /** Every connection validator found. */
  public static List<ConnectionValidator> connectionValidators() {
    return load(ConnectionValidator.class, ConnectionValidator::name);
  }

  /**
   * The TLS engine called {@code name}.
   *
   * @throws UnknownProviderException when none is, listing the engines found
   * @throws IllegalStateException when the engine cannot run here, with its reason
   */
  public static TlsEngine tlsEngine(String name) {
    TlsEngine engine = pick(TlsEngine.class, tlsEngines(), TlsEngine::name, name);
    Optional<String> unavailable = engine.unavailableReason();
    if (unavailable.isPresent()) {
      throw new IllegalStateException(
          "TLS engine '" + name + "' cannot be used on this machine: " + unavailable.get());
    }
    return engine;
  }

  /** The retry policy a spec names, configured with the spec's options. */
  public static RetryPolicy retryPolicy(String spec) {
    Spec s = Spec.parse(spec);
    RetryPolicy p = pick(RetryPolicy.class, retryPolicies(), RetryPolicy::name, s.name);
    return s.options.isEmpty() ? p : p.withOptions(s.options);
  }

  /** The failure classifier a spec names, configured with the spec's options. */
  public static FailureClassifier failureClassifier(String spec) {
    Spec s = Spec.parse(spec);
    FailureClassifier c =
        pick(FailureClassifier.class, failureClassifiers(), FailureClassifier::name, s.name);
    return s.options.isEmpty() ? c : c.withOptions(s.options);
  }

  /** The connection validator a spec names, configured with the spec's options. */
  public static ConnectionValidator connectionValidator(String spec) {
    Spec s = Spec.parse(spec);
    ConnectionValidator v =
        pick(ConnectionValidator.class, connectionValidators(), ConnectionValidator::name, s.name);
    return s.options.isEmpty() ? v : v.withOptions(s.options);
  }

  private static <S> List<S> load(Class<S> spi, Function<S, String> name) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = Providers.class.getClassLoader();
    }
    Map<String, S> byName = new LinkedHashMap<>();
    for (S provider : ServiceLoader.load(spi, loader)) {
      S previous = byName.putIfAbsent(name.apply(provider), provider);
      if (previous != null && previous.getClass() != provider.getClass()) {
        throw new IllegalStateException(
            "two "
                + spi.getSimpleName()
                + " providers are named '"
                + name.apply(provider)
                + "': "
                + previous.getClass().getName()
                + " and "
                + provider.getClass().getName());
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  private static <S> S pick(Class<S> spi, List<S> found, Function<S, String> name, String wanted) {
    for (S provider : found) {
      if (name.apply(provider).equals(wanted)) {
        return provider;
      }
    }
    throw new UnknownProviderException(spi, wanted, found.stream().map(name).sorted().toList());
  }

  /** A provider name with its options, {@code name[:key=value[,key=value]...]}. */
  record Spec(String name, Map<String, String> options) {
    static Spec parse(String spec) {
      if (spec == null || spec.isBlank()) {
        throw new IllegalArgumentException("a provider spec must name a provider");
      }
      int colon = spec.indexOf(':');
      String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
      Map<String, String> options =
          colon < 0 ? Map.of() : ProviderOptions.parse(name, spec.substring(colon + 1));
      return new Spec(name, options);
    }
  }
}
