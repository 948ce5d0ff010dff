package dev.guise.cli.internal;

import dev.guise.api.FingerprintOffer;
import dev.guise.api.spi.TlsEngine;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
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
    usage: guise profiles [--profile FILE]... [--verbose]

    Lists every TLS engine found on the module path (or class path) and each fingerprint
    profile it offers: aliases, where the profile comes from (bundled, a profile pack's name,
    or a file), fidelity (EXACT: the browser's ClientHello byte for byte apart from what the
    browser randomises; APPROXIMATE: close but distinguishable; NONE: the engine's own hello),
    the JA4 it produces, and a note. An engine that cannot run on this machine is listed with
    the reason; so is a profile an engine cannot send (naming what stands in the way), and a
    profile pack that could not be read.

    options:
      --profile FILE   also list the profile of this profile file (from 'guise capture')
      --verbose        stack traces for errors
    """;
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.of(name()).repeated("profile");
  }

  @Override
  public int run(ParsedArgs args, Io io) {
    // Files first: engines read the profile catalogue when they are first used.
    for (String file : args.values("profile")) {
      if (!ProfileArgument.isFile(file)) {
        throw args.usageError("--profile takes a profile file here, not '" + file + "'");
      }
      ProfileArgument.resolve(Optional.of(file), args);
    }
    List<TlsEngine> engines = Engines.found();
    if (engines.isEmpty()) {
      throw new CliException(
          CliException.FAILED, "no TLS engine found on the module path or class path");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ENGINE", "PROFILE", "ALIASES", "SOURCE", "FIDELITY", "JA4", "NOTE"});
    List<String> unavailable = new ArrayList<>();
    List<String> refused = new ArrayList<>();
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
              source(o.profile()),
              o.fidelity().name(),
              o.ja4().orElse("-"),
              o.note().isEmpty() ? "" : Cli.oneLine(o.note())
            });
      }
      // A catalogue profile the engine cannot send is not among its offers: say why, so a user
      // whose captured profile is missing learns which extension stands in the way.
      for (BrowserProfile p : BrowserProfiles.all()) {
        engine
            .refusal(p.name())
            .ifPresent(
                r ->
                    refused.add(
                        engine.name()
                            + ": cannot send profile "
                            + p.name()
                            + ": "
                            + Cli.oneLine(r)));
      }
    }
    int[] width = new int[6];
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
      io.out().println((sb + row[6]).stripTrailing());
    }
    for (String line : unavailable) {
      io.out().println(line);
    }
    for (String line : refused) {
      io.out().println(line);
    }
    for (String problem : BrowserProfiles.problems()) {
      io.out().println("profile source problem: " + Cli.oneLine(problem));
    }
    return 0;
  }

  /** Where the catalogue's profile of that name came from; "-" for an engine's own. */
  private static String source(String profile) {
    try {
      return BrowserProfiles.sourceOf(BrowserProfiles.get(profile));
    } catch (IllegalArgumentException e) {
      return "-";
    }
  }
}
