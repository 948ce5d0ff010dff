package dev.guise.tls.conscrypt.internal;

import java.security.Provider;
import org.conscrypt.Conscrypt;

/**
 * The only place that first touches {@code org.conscrypt}; kept apart so that a missing jar or
 * native library fails here, inside {@link ConscryptRuntime}'s guarded load.
 */
final class ConscryptLoader {
  private ConscryptLoader() {}

  static Provider newProvider() {
    // Throws (UnsatisfiedLinkError wrapped or not) when the native library cannot be loaded.
    Conscrypt.checkAvailability();
    // No trust manager of Conscrypt's: every context is given ServerTrust's (ConscryptContexts).
    return Conscrypt.newProviderBuilder().setName("GuiseConscrypt").build();
  }
}
