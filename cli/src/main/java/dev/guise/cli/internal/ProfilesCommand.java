package dev.guise.cli.internal;

import dev.guise.api.FingerprintOffer;
import dev.guise.api.spi.TlsEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code guise profiles}: every TLS engine found (with {@link java.util.ServiceLoader}, as the pool
 * finds them) and each fingerprint it offers, with its fidelity and JA4.
 */
final class ProfilesCommand implements Command {
  @Override
  public String name() {
    return "profiles";
  }

  @Override
  public String summary() {
    return "list every TLS engine found and the fingerprints it offers";
  }

  @Override
  public String help() {
    return """
    usage: guise profiles [--verbose]

    Lists every TLS engine found on the module path (or class path) and each fingerprint
    profile it offers: aliases, fidelity (EXACT: the browser's ClientHello byte for byte apart
    from what the browser randomises; APPROXIMATE: close but distinguishable; NONE: the
    engine's own hello), the JA4 it produces, and a note. An engine that cannot run on this
    machine is listed with the reason.

    options:
      --verbose   stack traces for errors
    """;
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.of(name());
  }

  @Override
  public int run(ParsedArgs args, Io io) {
    List<TlsEngine> engines = Engines.found();
    if (engines.isEmpty()) {
      throw new CliException(
          CliException.FAILED, "no TLS engine found on the module path or class path");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ENGINE", "PROFILE", "ALIASES", "FIDELITY", "JA4", "NOTE"});
    List<String> unavailable = new ArrayList<>();
    for (TlsEngine engine : engines) {
      Optional<String> why = engine.unavailableReason();
      if (why.isPresent()) {
        unavailable.add(engine.name() + ": unavailable: " + Cli.oneLine(why.get()));
        continue;
      }
      for (FingerprintOffer o : engine.offers()) {
        rows.add(
            new String[] {
              engine.name(),
              o.profile(),
              o.aliases().isEmpty() ? "-" : String.join(",", o.aliases()),
              o.fidelity().name(),
              o.ja4().orElse("-"),
              o.note().isEmpty() ? "" : Cli.oneLine(o.note())
            });
      }
    }
    int[] width = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        sb.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
      }
      io.out().println((sb + row[5]).stripTrailing());
    }
    for (String line : unavailable) {
      io.out().println(line);
    }
    return 0;
  }
}
