package dev.guise.conformance;

import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import java.util.stream.Stream;

/** The engines every conformance test runs over: each one found and usable on this machine. */
final class Engines {
  private Engines() {}

  static Stream<String> usable() {
    return Providers.tlsEngines().stream()
        .filter(e -> e.unavailableReason().isEmpty())
        .map(TlsEngine::name);
  }
}
