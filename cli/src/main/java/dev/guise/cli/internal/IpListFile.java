package dev.guise.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's list of IPs: one IP literal a line; {@code #} starts a comment (a whole line or the end
 * of one); blank lines are skipped. Every other line must be an IP, written once: a bad line is an
 * error naming the file, its line number and the text, never silently dropped.
 */
final class IpListFile {
  /** More than any host has; a bound so a wrong file (a log, a dump) fails fast. */
  static final int MAX_IPS = 65_536;

  /** A longer line is no IP; reading it whole would only use memory. */
  private static final int MAX_LINE_CHARS = 1_000;

  private IpListFile() {}

  /**
   * The IPs in {@code file}, in order.
   *
   * @throws IllegalArgumentException naming the file and line of the first bad line, or an empty
   *     list
   * @throws IOException when the file cannot be read ({@link NoSuchFileException} when missing)
   */
  static List<InetAddress> read(Path file) throws IOException {
    List<InetAddress> ips = new ArrayList<>();
    Map<InetAddress, Integer> firstLine = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        String where = file + ":" + number + ": ";
        if (line.length() > MAX_LINE_CHARS) {
          throw new IllegalArgumentException(where + "line longer than " + MAX_LINE_CHARS);
        }
        int hash = line.indexOf('#');
        String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (text.isEmpty()) {
          continue;
        }
        InetAddress ip =
            IpLiterals.parse(text)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            where + "'" + text + "' is not an IP address (one IP a line)"));
        Integer earlier = firstLine.putIfAbsent(ip, number);
        if (earlier != null) {
          throw new IllegalArgumentException(
              where + ip.getHostAddress() + " is already on line " + earlier);
        }
        if (ips.size() == MAX_IPS) {
          throw new IllegalArgumentException(where + "more than " + MAX_IPS + " IPs");
        }
        ips.add(ip);
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + ": not a text file (not UTF-8)");
    }
    if (ips.isEmpty()) {
      throw new IllegalArgumentException(file + ": no IP in the file");
    }
    return ips;
  }
}
