package dev.guise.cli.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as users type them ({@code 203.0.113.7}, {@code 2001:db8::1}, {@code
 * [2001:db8::1]}), parsed without a DNS lookup: choosing the address is the point of every option
 * that takes one.
 */
final class IpLiterals {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+(%[0-9A-Za-z]+)?");

  private IpLiterals() {}

  /** The address {@code text} spells, or empty when it is not an IP literal. */
  static Optional<InetAddress> parse(String text) {
    String t =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v4 = IPV4.matcher(t).matches();
    if (!v4 && !(t.contains(":") && IPV6.matcher(t).matches())) {
      return Optional.empty();
    }
    try {
      // A literal: InetAddress parses it and never looks it up.
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
