package dev.guise.cli.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.HttpProtocol;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.WarmUpProgress;
import dev.guise.pool.WarmUpSummary;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.AccessEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code guise warm URL --ips FILE}: warms a pool over the user's own IPs of a host (a TLS
 * connection, validated when asked, to each), with the progress bar {@code demo} shows, and reports
 * what warmed and what failed by failure kind.
 */
final class WarmCommand implements Command {
  private static final int DEFAULT_PARALLELISM = 16;

  @Override
  public String name() {
    return "warm";
  }

  @Override
  public String summary() {
    return "open a warm connection to each IP of a list, and report what failed";
  }

  @Override
  public String help() {
    return """
    usage: guise warm URL --ips FILE [--engine NAME] [--profile NAME] [--ca FILE.pem]
                         [--validator SPEC] [--http1] [--no-resumption] [--timeout SECONDS]
                         [--parallelism N] [--preset NAME] [--allow IP]... [--deny IP]... [--json]
                         [--verbose]

    Opens a connection to URL's host (its port, 443 by default) at each IP of FILE, as a pool's
    warm-up does: the engine presenting the profile's fingerprint, SNI and certificate checks
    for URL's host, then the validator when one is given. Progress goes to stderr; then a
    summary: how many IPs warmed, how many failed by failure kind, the time, and each failed IP
    with its failure.
    Exit code 0 when every IP warmed, 3 when at least one failed (the summary says which), 2 for
    a usage error (including a bad line in FILE).

    options:
      --ips FILE         the IPs, one a line; '#' starts a comment; blank lines are skipped;
                         a line that is not an IP, or an IP given twice, is an error naming
                         the line (at most 65536 IPs)
      --engine NAME      TLS engine (default: the most faithful found: bouncycastle,
                         conscrypt, jdk); 'guise profiles' lists them
      --profile NAME     fingerprint profile (default chrome)
      --ca FILE.pem      also trust the certificates in this PEM file (on top of the system's)
      --validator SPEC   validate each new connection, for example head-path:path=/robots.txt
                         or h2-ping (default: none; the TLS handshake is the test)
      --http1            offer only HTTP/1.1 in ALPN
      --no-resumption    full TLS handshakes only (by default, as a browser, the first
                         connection gets a session ticket and later ones resume with it)
      --timeout SECONDS  connect timeout for each IP, and the validation's (default 10, or
                         the preset's)
      --preset NAME      start from a configuration preset: development, test, production,
                         high-load (docs/fleet.md has their values)
      --allow IP         use only the allowed IPs of URL's host (repeatable); the others fail
                         as IP_BLOCKED
      --deny IP          never use this IP for URL's host (repeatable; deny wins over allow)
      --parallelism N    IPs warmed at once, 1..256 (default 16)
      --json             print the summary as one JSON object instead of text
      --verbose          stack traces for errors
    """;
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.withPositional(name(), "URL")
        .value("ips")
        .value("engine")
        .value("profile")
        .value("ca")
        .value("validator")
        .flag("http1")
        .flag("no-resumption")
        .value("timeout")
        .value("parallelism")
        .value("preset")
        .repeated("allow")
        .repeated("deny")
        .flag("json");
  }

  private static final Duration TEN_S = Duration.ofSeconds(10);

  /** The preset's builder, or the defaults. */
  private static PoolConfig.Builder base(ParsedArgs args) {
    if (args.value("preset").isEmpty()) {
      return PoolConfig.builder();
    }
    try {
      return PoolConfig.preset(args.value("preset").get());
    } catch (IllegalArgumentException e) {
      throw args.usageError("--preset: " + e.getMessage());
    }
  }

  private static InetAddress ipArg(ParsedArgs args, String option, String text) {
    return IpLiterals.parse(text)
        .orElseThrow(() -> args.usageError(option + ": not an IP address: " + text));
  }

  /** One IP that did not warm. */
  private record Failed(InetAddress ip, ClassifiedFailure failure) {}

  @Override
  public int run(ParsedArgs args, Io io) throws Exception {
    URI url = url(args.positional(0), args);
    int port = url.getPort() < 0 ? 443 : url.getPort();
    Path file =
        Path.of(args.value("ips").orElseThrow(() -> args.usageError("--ips FILE is required")));
    List<InetAddress> ips;
    try {
      ips = IpListFile.read(file);
    } catch (NoSuchFileException e) {
      throw args.usageError("--ips: no such file: " + file);
    } catch (IOException e) {
      throw args.usageError("--ips: cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw args.usageError("--ips " + e.getMessage());
    }
    Optional<Duration> timeout =
        args.seconds("timeout")
            .or(() -> args.value("preset").isPresent() ? Optional.empty() : Optional.of(TEN_S));
    int parallelism = args.intValue("parallelism", DEFAULT_PARALLELISM, 1, 256);
    TrustPolicy trust = TrustPolicy.systemDefaults();
    if (args.value("ca").isPresent()) {
      trust = trust.withExtraAnchors(Pem.readCertificates(Path.of(args.value("ca").get()), args));
    }
    Engines.Choice choice =
        Engines.choose(args.value("engine"), args.value("profile"), "chrome", args);
    PoolConfig.Builder config = base(args);
    config
        .engine(choice.name())
        .profile(choice.offer().profile())
        .trust(trust)
        .limits(l -> l.withWarmUpParallelism(parallelism));
    timeout.ifPresent(d -> config.timeouts(t -> t.withConnect(d).withValidation(d)));
    for (String ip : args.values("allow")) {
      config.access(AccessEntry.allow(url.getHost(), ipArg(args, "--allow", ip)));
    }
    for (String ip : args.values("deny")) {
      config.access(AccessEntry.deny(url.getHost(), ipArg(args, "--deny", ip)));
    }
    if (args.value("validator").isPresent()) {
      try {
        config.validator(Providers.connectionValidator(args.value("validator").get()));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw args.usageError("--validator: " + e.getMessage());
      }
    }
    if (args.flag("http1")) {
      config.alpn(List.of(HttpProtocol.HTTP_1_1.alpn()));
    }
    if (args.flag("no-resumption")) {
      config.tlsResumption(false);
    }
    ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
    WarmUpProgress bar = new Progress(io.err(), io.interactive(), "warm-up").warmUpListener();
    WarmUpSummary summary;
    try (HotConnectionPool pool = HotConnectionPool.create(config.build())) {
      summary =
          pool.warmUp(
              url.getHost(),
              port,
              ips,
              (ip, failure, done, total) -> {
                if (failure != null) {
                  failed.add(new Failed(ip, failure));
                }
                bar.ipDone(ip, failure, done, total);
              });
    }
    List<Failed> failures = new ArrayList<>(failed);
    // In the file's order, whatever order the parallel attempts ended in.
    Map<InetAddress, Integer> position = new HashMap<>();
    for (int i = 0; i < ips.size(); i++) {
      position.put(ips.get(i), i);
    }
    failures.sort(Comparator.comparingInt(f -> position.get(f.ip())));
    io.out()
        .print(
            args.flag("json")
                ? JsonOutput.write(json(summary, port, choice, failures))
                : text(summary, port, choice, failures));
    return summary.failed() == 0 ? 0 : CliException.REQUEST_FAILED;
  }

  private static Map<String, Object> json(
      WarmUpSummary s, int port, Engines.Choice choice, List<Failed> failures) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", s.host());
    m.put("port", port);
    m.put("engine", choice.name());
    m.put("profile", choice.offer().profile());
    m.put("ips", s.ips());
    m.put("warmed", s.ready());
    m.put("failed", s.failed());
    m.put("failures_by_kind", byKind(s));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Failed f : failures) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("ip", f.ip().getHostAddress());
      one.put("kind", f.failure().kind().name());
      one.put("message", Cli.oneLine(f.failure().message()));
      list.add(one);
    }
    m.put("failed_ips", list);
    m.put("took_ms", s.took().toNanos() / 1e6);
    return m;
  }

  private static String text(
      WarmUpSummary s, int port, Engines.Choice choice, List<Failed> failures) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "warmed %d of %d IPs of %s:%d in %.2f s (engine %s, profile %s)%n",
            s.ready(),
            s.ips(),
            s.host(),
            port,
            s.took().toNanos() / 1e9,
            choice.name(),
            choice.offer().profile()));
    if (s.failed() > 0) {
      List<String> kinds = new ArrayList<>();
      byKind(s).forEach((kind, n) -> kinds.add(kind + " " + n));
      sb.append("failed ").append(s.failed()).append(": ").append(String.join(", ", kinds));
      sb.append('\n');
      int width = failures.stream().mapToInt(f -> f.ip().getHostAddress().length()).max().orElse(0);
      for (Failed f : failures) {
        sb.append(
            String.format(
                "  %-" + width + "s  %s%n",
                f.ip().getHostAddress(),
                Cli.oneLine(f.failure().toString())));
      }
    }
    return sb.toString();
  }

  /** The failure counts by kind, most frequent first, then by name. */
  private static Map<String, Object> byKind(WarmUpSummary s) {
    List<Map.Entry<FailureKind, Integer>> entries = new ArrayList<>(s.failuresByKind().entrySet());
    entries.sort(
        Map.Entry.<FailureKind, Integer>comparingByValue()
            .reversed()
            .thenComparing(e -> e.getKey().name()));
    Map<String, Object> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey().name(), e.getValue()));
    return out;
  }

  private static URI url(String text, ParsedArgs args) {
    try {
      URI url = new URI(text);
      if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
        throw args.usageError("URL must be https://host[:port]/, not '" + text + "'");
      }
      return url;
    } catch (URISyntaxException e) {
      throw args.usageError("not a URL: '" + text + "'");
    }
  }
}
