package dev.guise.tls.bouncycastle.internal;

import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * The hellos of the shared profile catalogue ({@link BrowserProfiles}), followed as it grows: a
 * profile file loaded or a profile registered after the engine's first use is offered from then on.
 * This runs on every handshake, so a look at an unchanged catalogue costs one volatile read of its
 * {@linkplain BrowserProfiles#version() version}; each profile's hello is built once, on the first
 * look after it appeared.
 *
 * <p>A profile the engine cannot send exactly (its hello has an extension the engine cannot
 * produce) is left out of the offers, and asking for it by name fails with the reason, naming the
 * extension; the catalogue's other profiles are unaffected. Thread-safe: the snapshot is immutable
 * and replaced whole.
 */
final class CatalogueHellos {
  private record Snapshot(
      long catalogueVersion,
      List<BrowserProfile> profiles,
      List<NamedHello> hellos,
      Map<String, String> refused) {}

  private final TlsCrypto crypto;
  private volatile Snapshot snapshot = new Snapshot(Long.MIN_VALUE, List.of(), List.of(), Map.of());

  CatalogueHellos(TlsCrypto crypto) {
    this.crypto = crypto;
  }

  /** The hellos of every profile the engine can send, in the catalogue's order. */
  List<NamedHello> hellos() {
    return current().hellos();
  }

  /**
   * Why the catalogue's profile answering to {@code name} cannot be sent by this engine; empty when
   * there is no such profile or it can be sent.
   */
  Optional<String> refusal(String name) {
    Snapshot s = current();
    for (BrowserProfile p : s.profiles()) {
      if (p.answersTo(name)) {
        return Optional.ofNullable(s.refused().get(p.name()));
      }
    }
    return Optional.empty();
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s.catalogueVersion() == BrowserProfiles.version()) {
      return s;
    }
    synchronized (this) {
      s = snapshot;
      // The version is read before the list: a profile registered in between is in the list and
      // the kept version is older, so the next look rebuilds once more rather than missing it.
      long version = BrowserProfiles.version();
      if (s.catalogueVersion() == version) {
        return s;
      }
      List<BrowserProfile> all = BrowserProfiles.all();
      Map<String, NamedHello> built = new LinkedHashMap<>();
      for (NamedHello h : s.hellos()) {
        built.put(h.name, h);
      }
      List<NamedHello> hellos = new ArrayList<>(all.size());
      Map<String, String> refused = new LinkedHashMap<>(s.refused());
      for (BrowserProfile p : all) {
        NamedHello h = built.get(p.name());
        if (h == null && !refused.containsKey(p.name())) {
          try {
            h = NamedHello.builtIn(p, crypto);
          } catch (IllegalArgumentException e) {
            // One profile the engine cannot send takes nothing else down; its name gets the reason.
            refused.put(p.name(), e.getMessage());
          }
        }
        if (h != null) {
          hellos.add(h);
        }
      }
      s = new Snapshot(version, all, List.copyOf(hellos), Map.copyOf(refused));
      snapshot = s;
      return s;
    }
  }
}
