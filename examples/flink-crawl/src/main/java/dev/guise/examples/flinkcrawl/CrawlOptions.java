package dev.guise.examples.flinkcrawl;

/**
 * The run script's options.
 *
 * @param ips loopback IPs the site listens on (127.0.1.1, ...); every 10 IPs make one host
 * @param urls URLs to fetch, spread evenly over the hosts and their IPs
 * @param parallelism parallel fetch tasks
 * @param failOnce whether one fetch task fails on purpose once, mid-run, after a checkpoint
 * @param json whether the report is JSON
 * @param engine the TLS engine
 * @param rate each host's request rate limit per second, 0 for none
 */
public record CrawlOptions(
    int ips,
    int urls,
    int parallelism,
    boolean failOnce,
    boolean json,
    String engine,
    double rate) {
  /** IPs per host. */
  public static final int IPS_PER_HOST = 10;

  public CrawlOptions {
    if (ips < 1 || ips > 1000) {
      throw new IllegalArgumentException("--ips must be 1..1000: " + ips);
    }
    if (urls < 1 || urls > 1_000_000) {
      throw new IllegalArgumentException("--urls must be 1..1000000: " + urls);
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("--parallelism must be 1..64: " + parallelism);
    }
    if (!(rate >= 0) || rate > 1_000_000) {
      throw new IllegalArgumentException("--rate must be 0 (none) .. 1000000: " + rate);
    }
  }

  /** Hosts: one per {@value #IPS_PER_HOST} IPs, at least one. */
  public int hosts() {
    return Math.max(1, ips / IPS_PER_HOST);
  }

  /** Reads {@code --ips N --urls N --parallelism P --fail-once --json --engine E --rate R}. */
  public static CrawlOptions parse(String... args) {
    int ips = 200;
    int urls = 2000;
    int parallelism = 2;
    boolean failOnce = false;
    boolean json = false;
    String engine = "bouncycastle";
    double rate = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--ips" -> ips = number(args, ++i);
        case "--urls" -> urls = number(args, ++i);
        case "--parallelism" -> parallelism = number(args, ++i);
        case "--fail-once" -> failOnce = true;
        case "--json" -> json = true;
        case "--engine" -> engine = value(args, ++i);
        case "--rate" -> rate = decimal(args, ++i);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    return new CrawlOptions(ips, urls, parallelism, failOnce, json, engine, rate);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static double decimal(String[] args, int i) {
    String v = value(args, i);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + " needs a number: " + v);
    }
  }

  private static int number(String[] args, int i) {
    String v = value(args, i);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + " needs a number: " + v);
    }
  }
}
