package dev.guise.cli.internal;

import dev.guise.api.FingerprintOffer;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.api.spi.UnknownProviderException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Picks a TLS engine and one of its fingerprints, by name or the best one found. */
final class Engines {
  /** Most faithful first: BouncyCastle is browser-exact, Conscrypt approximate, the JDK neither. */
  static final List<String> PREFERENCE = List.of("bouncycastle", "conscrypt", "jdk");

  private Engines() {}

  /** An engine and the offer it will present. */
  record Choice(TlsEngine engine, FingerprintOffer offer) {
    String name() {
      return engine.name();
    }
  }

  /** Every engine found, in {@link #PREFERENCE} order, then the rest by name. */
  static List<TlsEngine> found() {
    List<TlsEngine> engines = new ArrayList<>(Providers.tlsEngines());
    engines.sort(
        Comparator.comparingInt(
                (TlsEngine e) -> {
                  int i = PREFERENCE.indexOf(e.name());
                  return i < 0 ? PREFERENCE.size() : i;
                })
            .thenComparing(TlsEngine::name));
    return engines;
  }

  /**
   * The engine named {@code engineName}, or else the most faithful usable engine that offers the
   * profile ({@code profile}, or {@code defaultProfile} when none was asked for). When no profile
   * was asked for and no engine offers the default, the first usable engine's own first offer.
   *
   * @throws CliException a usage error for an unknown or unusable engine, or a profile no engine
   *     has
   */
  static Choice choose(
      Optional<String> engineName,
      Optional<String> profile,
      String defaultProfile,
      ParsedArgs args) {
    String wanted = profile.orElse(defaultProfile);
    if (engineName.isPresent()) {
      TlsEngine engine;
      try {
        engine = Providers.tlsEngine(engineName.get());
      } catch (UnknownProviderException | IllegalStateException e) {
        throw args.usageError(e.getMessage());
      }
      Optional<FingerprintOffer> offer = engine.offer(wanted);
      if (offer.isEmpty() && profile.isPresent()) {
        throw args.usageError(
            "engine '"
                + engine.name()
                + "' has no profile '"
                + wanted
                + "'; it offers "
                + offerNames(engine));
      }
      return new Choice(engine, offer.orElse(engine.offers().get(0)));
    }
    Choice fallback = null;
    List<String> unusable = new ArrayList<>();
    for (TlsEngine engine : found()) {
      Optional<String> why = engine.unavailableReason();
      if (why.isPresent()) {
        unusable.add(engine.name() + " (" + why.get() + ")");
        continue;
      }
      Optional<FingerprintOffer> offer = engine.offer(wanted);
      if (offer.isPresent()) {
        return new Choice(engine, offer.get());
      }
      if (fallback == null) {
        fallback = new Choice(engine, engine.offers().get(0));
      }
    }
    if (profile.isPresent() || fallback == null) {
      throw args.usageError(
          "no usable engine offers profile '"
              + wanted
              + "'"
              + (unusable.isEmpty() ? "" : "; unusable: " + String.join(", ", unusable))
              + "; 'guise profiles' lists what each engine offers");
    }
    return fallback;
  }

  private static String offerNames(TlsEngine engine) {
    List<String> names = new ArrayList<>();
    for (FingerprintOffer o : engine.offers()) {
      names.add(
          o.profile() + (o.aliases().isEmpty() ? "" : " (" + String.join(", ", o.aliases()) + ")"));
    }
    return String.join(", ", names);
  }
}
