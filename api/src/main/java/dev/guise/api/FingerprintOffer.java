package dev.guise.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One fingerprint a TLS engine can present.
 *
 * @param profile the profile name, for example {@code chrome-156}; stable across releases
 * @param aliases other names that select this offer, for example {@code chrome} for the newest
 *     Chrome profile
 * @param fidelity how faithfully the engine sends it
 * @param ja4 the JA4 fingerprint the engine actually produces for this profile, when known. For an
 *     {@link Fidelity#APPROXIMATE approximate} offer this is the engine's JA4, not the browser's.
 * @param note a short human-readable remark (what differs from the browser, for example); may be
 *     empty
 */
public record FingerprintOffer(
    String profile, List<String> aliases, Fidelity fidelity, Optional<String> ja4, String note) {
  public FingerprintOffer {
    Objects.requireNonNull(profile, "profile");
    aliases = List.copyOf(Objects.requireNonNull(aliases, "aliases"));
    Objects.requireNonNull(fidelity, "fidelity");
    Objects.requireNonNull(ja4, "ja4");
    Objects.requireNonNull(note, "note");
    if (profile.isBlank()) {
      throw new IllegalArgumentException("profile must not be blank");
    }
  }

  /**
   * Whether {@code name} is this offer's profile name or one of its aliases (ASCII case ignored).
   */
  public boolean answersTo(String name) {
    if (profile.equalsIgnoreCase(name)) {
      return true;
    }
    for (String alias : aliases) {
      if (alias.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
