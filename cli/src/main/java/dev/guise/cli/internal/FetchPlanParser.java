package dev.guise.cli.internal;

import dev.guise.api.Header;
import dev.guise.cli.internal.FetchPlan.PlannedRequest;
import dev.guise.cli.internal.FetchPlan.Resolve;
import dev.guise.cli.internal.FetchPlan.Settings;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.proxy.Proxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code guise fetch}'s words into a {@link FetchPlan}, in curl's manner.
 *
 * <p>The words form groups separated by {@code --next}. Global options (engine, profile, trust,
 * {@code --resolve}, output style...) hold for the whole invocation and belong in the first group;
 * request options ({@code -X}, {@code --data}, {@code --header}, {@code --dest}, {@code -o}) hold
 * for every URL of their group, wherever in the group they stand, so options given before the first
 * URL apply to it, and after {@code --next} to the next one. Each {@code -o} goes to the next URL
 * of its group that has none, as curl pairs them. Every problem is a usage error naming the word.
 *
 * <p>Not thread-safe; one instance parses one command line.
 */
final class FetchPlanParser {
  /** The largest {@code --data} body read from a file: the request is held in memory. */
  static final long MAX_DATA_FILE_BYTES = 64L * 1024 * 1024;

  enum Scope {
    GLOBAL,
    REQUEST
  }

  /** One option: its canonical long name, whether it takes a value, and where it belongs. */
  record Option(String name, boolean takesValue, Scope scope, boolean repeatable) {}

  private static final Map<String, Option> LONG = new LinkedHashMap<>();
  private static final Map<Character, Option> SHORT = new LinkedHashMap<>();

  static {
    global("engine", true);
    global("profile", true);
    global("ca", true);
    alias("cacert", "ca");
    LONG.put("resolve", new Option("resolve", true, Scope.GLOBAL, true));
    LONG.put("proxy", new Option("proxy", true, Scope.GLOBAL, true));
    global("connect-to", true);
    global("timeout", true);
    alias("max-time", "timeout");
    shortAlias('m', "timeout");
    global("follow", false);
    alias("location", "follow");
    shortAlias('L', "follow");
    global("cookie", true);
    shortAlias('b', "cookie");
    global("cookie-jar", true);
    shortAlias('c', "cookie-jar");
    global("http1", false);
    alias("http1.1", "http1");
    global("include", false);
    shortAlias('i', "include");
    global("silent", false);
    shortAlias('s', "silent");
    global("show-error", false);
    shortAlias('S', "show-error");
    global("write-out", true);
    shortAlias('w', "write-out");
    global("fail", false);
    shortAlias('f', "fail");
    global("fail-early", false);
    global("compressed", false);
    global("verbose", false);

    request("request", true, false);
    alias("method", "request");
    shortAlias('X', "request");
    request("data", true, true);
    shortAlias('d', "data");
    request("data-binary", true, true);
    request("header", true, true);
    shortAlias('H', "header");
    request("dest", true, false);
    request("output", true, true);
    shortAlias('o', "output");
  }

  private static void global(String name, boolean takesValue) {
    LONG.put(name, new Option(name, takesValue, Scope.GLOBAL, false));
  }

  private static void request(String name, boolean takesValue, boolean repeatable) {
    LONG.put(name, new Option(name, takesValue, Scope.REQUEST, repeatable));
  }

  private static void alias(String alias, String name) {
    LONG.put(alias, LONG.get(name));
  }

  private static void shortAlias(char c, String name) {
    SHORT.put(c, LONG.get(name));
  }

  /** One option as given: the option, its value ("" for a flag), and how it was spelled. */
  private record Given(Option option, String value, String spelled) {}

  /** The words between two {@code --next}: options and URLs. */
  private static final class Group {
    final List<Given> options = new ArrayList<>();
    final List<String> urls = new ArrayList<>();
  }

  private FetchPlanParser() {}

  /**
   * Parses the words after {@code guise fetch}.
   *
   * @throws CliException a usage error naming the word that does not fit
   */
  static FetchPlan parse(List<String> words) {
    List<Group> groups = split(words);
    Settings settings = settings(groups);
    List<PlannedRequest> requests = new ArrayList<>();
    for (Group g : groups) {
      requests.addAll(requests(g, settings.timeout()));
    }
    return new FetchPlan(settings, requests);
  }

  private static List<Group> split(List<String> words) {
    List<Group> groups = new ArrayList<>();
    Group current = new Group();
    groups.add(current);
    boolean onlyUrls = false;
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (onlyUrls || word.equals("-") || !word.startsWith("-")) {
        current.urls.add(word);
      } else if (word.equals("--")) {
        onlyUrls = true;
      } else if (word.equals("--next") || word.equals("-:")) {
        if (current.urls.isEmpty()) {
          throw usage("--next must follow a URL (it starts the options of the next one)");
        }
        current = new Group();
        groups.add(current);
        onlyUrls = false;
      } else if (word.startsWith("--")) {
        String name = word.substring(2);
        String inline = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          inline = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        Option option = LONG.get(name);
        if (option == null) {
          throw usage("unknown option '--" + name + "'");
        }
        String spelled = "--" + name;
        String value;
        if (!option.takesValue()) {
          if (inline != null) {
            throw usage("option '" + spelled + "' takes no value");
          }
          value = "";
        } else if (inline != null) {
          value = inline;
        } else if (i + 1 < words.size()) {
          value = words.get(++i);
        } else {
          throw usage("option '" + spelled + "' needs a value");
        }
        current.options.add(new Given(option, value, spelled));
      } else {
        // A cluster of short options, curl's way: -si is -s -i; -XPOST and -X POST are the same.
        for (int k = 1; k < word.length(); k++) {
          char c = word.charAt(k);
          Option option = SHORT.get(c);
          String spelled = "-" + c;
          if (option == null) {
            throw usage("unknown option '" + spelled + "'" + (k > 1 ? " in '" + word + "'" : ""));
          }
          if (!option.takesValue()) {
            current.options.add(new Given(option, "", spelled));
            continue;
          }
          String value;
          if (k + 1 < word.length()) {
            value = word.substring(k + 1);
          } else if (i + 1 < words.size()) {
            value = words.get(++i);
          } else {
            throw usage("option '" + spelled + "' needs a value");
          }
          current.options.add(new Given(option, value, spelled));
          break;
        }
      }
    }
    if (current.urls.isEmpty()) {
      throw usage(groups.size() == 1 ? "missing URL" : "missing URL after the last --next");
    }
    return groups;
  }

  private static Settings settings(List<Group> groups) {
    Map<String, Given> once = new LinkedHashMap<>();
    List<Resolve> resolves = new ArrayList<>();
    List<Proxy> proxies = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      for (Given given : groups.get(g).options) {
        Option o = given.option();
        if (o.scope() != Scope.GLOBAL) {
          continue;
        }
        if (g > 0) {
          throw usage(
              "'"
                  + given.spelled()
                  + "' holds for the whole invocation: give it before the first --next");
        }
        if (o.name().equals("resolve")) {
          resolves.add(resolve(given.value()));
        } else if (o.name().equals("proxy")) {
          Proxy proxy = proxy(given.value());
          if (!proxies.contains(proxy)) {
            proxies.add(proxy);
          }
        } else if (once.putIfAbsent(o.name(), given) != null) {
          throw usage("option '" + given.spelled() + "' given more than once");
        }
      }
    }
    Optional<InetAddress> connectTo =
        value(once, "connect-to")
            .map(
                ip ->
                    IpLiterals.parse(ip)
                        .orElseThrow(
                            () -> usage("--connect-to takes an IP address, not '" + ip + "'")));
    Optional<WriteOut> writeOut;
    try {
      writeOut = value(once, "write-out").map(WriteOut::parse);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return new Settings(
        value(once, "engine"),
        value(once, "profile"),
        value(once, "ca").map(Path::of),
        resolves,
        proxies,
        connectTo,
        value(once, "timeout").map(FetchPlanParser::seconds).orElse(Settings.DEFAULT_TIMEOUT),
        once.containsKey("follow"),
        value(once, "cookie").map(Path::of),
        value(once, "cookie-jar").map(Path::of),
        once.containsKey("http1"),
        once.containsKey("include"),
        once.containsKey("silent"),
        once.containsKey("show-error"),
        writeOut,
        once.containsKey("fail"),
        once.containsKey("fail-early"),
        once.containsKey("verbose"));
  }

  private static Optional<String> value(Map<String, Given> once, String name) {
    return Optional.ofNullable(once.get(name)).map(Given::value);
  }

  private static List<PlannedRequest> requests(Group group, Duration timeout) {
    String method = null;
    String dest = PlannedRequest.DEFAULT_DEST;
    List<Header> headers = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    ByteArrayOutputStream body = null;
    String destSpelled = null;
    for (Given given : group.options) {
      switch (given.option().name()) {
        case "request" -> {
          if (method != null) {
            throw usage("option '" + given.spelled() + "' given more than once for one URL");
          }
          method = given.value().toUpperCase(Locale.ROOT);
        }
        case "dest" -> {
          if (destSpelled != null) {
            throw usage("option '" + given.spelled() + "' given more than once for one URL");
          }
          dest = given.value().toLowerCase(Locale.ROOT);
          destSpelled = given.spelled();
          if (!PlannedRequest.DESTS.contains(dest)) {
            throw usage(
                "--dest takes one of "
                    + String.join(", ", PlannedRequest.DESTS)
                    + ", not '"
                    + given.value()
                    + "'");
          }
        }
        case "header" -> headers.add(header(given));
        case "output" -> outputs.add(Path.of(given.value()));
        case "data", "data-binary" -> {
          if (body == null) {
            body = new ByteArrayOutputStream();
          } else {
            body.write('&'); // curl joins several --data with '&'
          }
          byte[] piece = data(given);
          body.write(piece, 0, piece.length);
        }
        default -> {
          // global options were read by settings()
        }
      }
    }
    if (outputs.size() > group.urls.size()) {
      throw usage(
          outputs.size()
              + " -o for "
              + group.urls.size()
              + " URL(s): each -o names the file of one URL");
    }
    if (body != null && headers.stream().noneMatch(h -> h.is("content-type"))) {
      // As curl: --data is a form unless the user says otherwise.
      headers.add(new Header("content-type", "application/x-www-form-urlencoded"));
    }
    String effectiveMethod = method != null ? method : body != null ? "POST" : "GET";
    Optional<byte[]> bytes = Optional.ofNullable(body).map(ByteArrayOutputStream::toByteArray);
    List<PlannedRequest> out = new ArrayList<>();
    for (int i = 0; i < group.urls.size(); i++) {
      PlannedRequest r =
          new PlannedRequest(
              url(group.urls.get(i)),
              effectiveMethod,
              bytes,
              headers,
              dest,
              i < outputs.size() ? Optional.of(outputs.get(i)) : Optional.empty());
      check(r, timeout);
      out.add(r);
    }
    return out;
  }

  /** Builds the pool's request once, so what it would refuse is a usage error now, not later. */
  private static void check(PlannedRequest r, Duration timeout) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(r.url())
              .timeout(timeout)
              .method(r.method(), r.bodyBytes().orElse(null));
      r.headers().forEach(h -> b.header(h.name(), h.value()));
      b.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static Header header(Given given) {
    String text = given.value();
    // From the second character: a pseudo-header's name starts with one (and is then refused).
    int colon = text.indexOf(':', 1);
    if (colon <= 0) {
      // The text is not echoed: a mistyped "Authorization Bearer ..." would put a secret in it.
      throw usage(given.spelled() + " takes 'Name: value'; no ':' after a name in the one given");
    }
    try {
      return new Header(text.substring(0, colon).trim(), text.substring(colon + 1).trim());
    } catch (IllegalArgumentException e) {
      throw usage(given.spelled() + ": " + e.getMessage());
    }
  }

  /**
   * A {@code --data} piece: the text, or with {@code @FILE} the file's bytes ({@code --data} drops
   * carriage returns and newlines from a file as curl does; {@code --data-binary} keeps them).
   */
  private static byte[] data(Given given) {
    String value = given.value();
    if (!value.startsWith("@")) {
      return value.getBytes(StandardCharsets.UTF_8);
    }
    Path file = Path.of(value.substring(1));
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_DATA_FILE_BYTES) {
        throw usage(
            given.spelled()
                + ": "
                + file
                + " is larger than "
                + MAX_DATA_FILE_BYTES / (1024 * 1024)
                + " MiB");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw usage(given.spelled() + ": no such file: " + file);
    } catch (IOException e) {
      throw usage(given.spelled() + ": cannot read " + file + ": " + e.getMessage());
    }
    if (given.option().name().equals("data-binary")) {
      return bytes;
    }
    ByteArrayOutputStream stripped = new ByteArrayOutputStream(bytes.length);
    for (byte b : bytes) {
      if (b != '\r' && b != '\n') {
        stripped.write(b);
      }
    }
    return stripped.toByteArray();
  }

  private static URI url(String text) {
    try {
      URI url = new URI(text);
      if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
        throw usage("URL must be https://host[:port]/path, not '" + text + "'");
      }
      return url;
    } catch (URISyntaxException e) {
      throw usage("not a URL: '" + text + "'");
    }
  }

  /** A {@code --proxy} URL; the message of a bad one never shows its password. */
  private static Proxy proxy(String url) {
    try {
      return Proxy.parse(url);
    } catch (IllegalArgumentException e) {
      throw usage("--proxy: " + e.getMessage());
    }
  }

  /** {@code HOST:PORT:ADDR[,ADDR]...}, as curl's {@code --resolve}; IPv6 addresses in brackets. */
  private static Resolve resolve(String value) {
    String bad = "--resolve takes HOST:PORT:ADDR[,ADDR]..., not '" + value + "'";
    int first = value.indexOf(':');
    int second = first < 0 ? -1 : value.indexOf(':', first + 1);
    if (first <= 0 || second < 0 || second == value.length() - 1) {
      throw usage(bad);
    }
    String host = value.substring(0, first);
    int port;
    try {
      port = Integer.parseInt(value.substring(first + 1, second));
    } catch (NumberFormatException e) {
      throw usage(bad + " (the port is not a number)");
    }
    if (port < 1 || port > 65535) {
      throw usage(bad + " (the port must be 1..65535)");
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String addr : value.substring(second + 1).split(",", -1)) {
      addresses.add(
          IpLiterals.parse(addr.trim())
              .orElseThrow(
                  () -> usage(bad + " ('" + addr + "' is not an IP address; no DNS here)")));
    }
    return new Resolve(host.toLowerCase(Locale.ROOT), port, addresses);
  }

  /** A positive number of seconds, fractions allowed, at most a day. */
  private static Duration seconds(String text) {
    try {
      double s = Double.parseDouble(text.trim());
      if (!(s > 0) || s > 86_400) {
        throw usage("--timeout must be a number of seconds above 0 and at most 86400, not " + text);
      }
      return Duration.ofNanos((long) (s * 1e9));
    } catch (NumberFormatException e) {
      throw usage("--timeout takes a number of seconds, not '" + text + "'");
    }
  }

  private static CliException usage(String message) {
    return CliException.usage(message + " for 'guise fetch'; see 'guise fetch --help'");
  }
}
