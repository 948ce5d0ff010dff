package dev.guise.cli.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code -w FORMAT}: text written to stdout after each transfer, with {@code %{variable}} replaced,
 * {@code %%} a percent sign and {@code \n}, {@code \r}, {@code \t}, {@code \\} as in curl. An
 * unknown variable is a usage error when the format is parsed, not a surprise later. Immutable.
 */
final class WriteOut {
  /** Every variable, with what it means (the order of {@code --help}). */
  static final Map<String, String> VARIABLES = variables();

  private final List<Object> parts; // String literals and Variable references, in order

  private WriteOut(List<Object> parts) {
    this.parts = List.copyOf(parts);
  }

  private record Variable(String name) {}

  private static Map<String, String> variables() {
    // A LinkedHashMap keeps the help's order; Map.of would not.
    Map<String, String> m = new LinkedHashMap<>();
    m.put("http_code", "the response status, 000 when none came (also response_code)");
    m.put("response_code", "the same as http_code");
    m.put("http_version", "2 or 1.1");
    m.put("time_total", "seconds from the start of the transfer to its end, as 0.123456");
    m.put("remote_ip", "the IP that answered");
    m.put("remote_port", "the port that answered");
    m.put("url", "the URL as given");
    m.put("url_effective", "the URL of the last response (after redirects)");
    m.put("num_redirects", "how many redirects were followed");
    m.put("size_download", "bytes of the (decoded) response body");
    m.put("content_type", "the response's content-type");
    m.put("exitcode", "the transfer's exit code");
    m.put("errormsg", "the failure's one-line message, empty on success");
    m.put("ja4", "the JA4 fingerprint the engine presents for the profile (empty if unknown)");
    m.put("profile", "the fingerprint profile presented");
    m.put("engine", "the TLS engine");
    return Collections.unmodifiableMap(m);
  }

  /**
   * Parses a format.
   *
   * @throws IllegalArgumentException naming an unknown or unterminated variable
   */
  static WriteOut parse(String format) {
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c == '\\' && i + 1 < format.length()) {
        char next = format.charAt(i + 1);
        String escaped =
            switch (next) {
              case 'n' -> "\n";
              case 'r' -> "\r";
              case 't' -> "\t";
              case '\\' -> "\\";
              default -> null;
            };
        if (escaped != null) {
          literal.append(escaped);
          i++;
          continue;
        }
      } else if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
        literal.append('%');
        i++;
        continue;
      } else if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '{') {
        int close = format.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("-w: '%{' without a closing '}' in '" + format + "'");
        }
        String name = format.substring(i + 2, close);
        if (!VARIABLES.containsKey(name)) {
          throw new IllegalArgumentException(
              "-w: unknown variable '%{"
                  + name
                  + "}'; known: "
                  + String.join(", ", VARIABLES.keySet()));
        }
        if (!literal.isEmpty()) {
          parts.add(literal.toString());
          literal.setLength(0);
        }
        parts.add(new Variable(name));
        i = close;
        continue;
      }
      literal.append(c);
    }
    if (!literal.isEmpty()) {
      parts.add(literal.toString());
    }
    return new WriteOut(parts);
  }

  /** The format with each variable replaced by {@code values}' value for it. */
  String render(Function<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (Object part : parts) {
      sb.append(part instanceof Variable v ? values.apply(v.name()) : (String) part);
    }
    return sb.toString();
  }
}
