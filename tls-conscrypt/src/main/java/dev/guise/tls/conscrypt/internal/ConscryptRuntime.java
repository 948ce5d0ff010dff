package dev.guise.tls.conscrypt.internal;

import java.security.Provider;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Conscrypt, loaded once on first need.
 *
 * <p>Loading Conscrypt loads its native library (extracted from the jar). Where that fails (another
 * OS or CPU, a tmp directory mounted noexec, a missing jar on the class path) the failure is kept
 * and reported by {@link #unavailableReason()} every time it is asked, instead of a {@link
 * NoClassDefFoundError} at some later connect. The provider is built privately, never registered
 * with {@link java.security.Security}: Guise must not change which TLS the rest of the application
 * gets.
 */
public final class ConscryptRuntime {
  private ConscryptRuntime() {}

  /** The outcome of one loading attempt: a provider or the reason there is none. */
  record Outcome(Provider provider, String failure) {
    static Outcome load(Supplier<Provider> loader) {
      try {
        Provider provider = loader.get();
        if (provider == null) {
          return new Outcome(null, "Conscrypt returned no security provider");
        }
        return new Outcome(provider, null);
      } catch (LinkageError | RuntimeException e) {
        // UnsatisfiedLinkError (native library), NoClassDefFoundError (jar missing) and
        // Conscrypt's own availability errors all land here.
        return new Outcome(null, describe(e));
      }
    }

    private static String describe(Throwable t) {
      StringBuilder out =
          new StringBuilder("Conscrypt (BoringSSL) could not be loaded on ")
              .append(System.getProperty("os.name"))
              .append(' ')
              .append(System.getProperty("os.arch"))
              .append(", Java ")
              .append(Runtime.version())
              .append(": ");
      String sep = "";
      for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
        out.append(sep).append(c.getClass().getName());
        if (c.getMessage() != null) {
          out.append(": ").append(c.getMessage());
        }
        sep = "; caused by ";
      }
      return out.append(". Pick another TLS engine (bouncycastle or jdk) on this machine.")
          .toString();
    }
  }

  private static final class Holder {
    static final Outcome OUTCOME = Outcome.load(ConscryptLoader::newProvider);
  }

  /** Why Conscrypt cannot be used here, or empty when it loaded. Loads it on the first call. */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(Holder.OUTCOME.failure());
  }

  /**
   * The private Conscrypt provider.
   *
   * @throws IllegalStateException when Conscrypt could not be loaded, with the reason
   */
  static Provider provider() {
    Outcome outcome = Holder.OUTCOME;
    if (outcome.provider() == null) {
      throw new IllegalStateException(outcome.failure());
    }
    return outcome.provider();
  }
}
