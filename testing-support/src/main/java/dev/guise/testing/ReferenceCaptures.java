package dev.guise.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The reference captures of real clients (browsers/, browsers-http1/, sessions/, proxy/; see the
 * README.md beside them), read from this module's own resources.
 *
 * <p>Paths are relative to the captures' root, with {@code /} between folders, e.g. {@code
 * "browsers/chromium1-conn03.bin"}. The files are read through this class, which lives in the same
 * module as them: on the module path a module may always read its own resources, so nothing needs
 * to be opened, and on the class path the same call finds them on the class path.
 */
public final class ReferenceCaptures {
  private static final String ROOT = "reference/";

  /** Every file, read once from the INDEX that {@code refresh-reference} writes. */
  private static final List<String> INDEX =
      text("INDEX").lines().filter(line -> !line.isBlank()).sorted().toList();

  private ReferenceCaptures() {}

  /** The bytes of one capture file; fails when there is no such file. */
  public static byte[] bytes(String path) {
    try (InputStream in = ReferenceCaptures.class.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no reference capture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading reference capture " + path, e);
    }
  }

  /** One capture file as UTF-8 text (the JSON and Markdown files). */
  public static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  /**
   * The files directly in {@code folder} (not in its subfolders) whose names end with {@code
   * suffix}, as paths for {@link #bytes}, sorted. Fails when there are none: a test that iterates
   * over captures must not pass by iterating over nothing.
   */
  public static List<String> list(String folder, String suffix) {
    String prefix = folder.endsWith("/") ? folder : folder + "/";
    List<String> files =
        INDEX.stream()
            .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
            .filter(p -> p.endsWith(suffix))
            .toList();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no reference captures " + prefix + "*" + suffix);
    }
    return files;
  }

  /** The file name of {@code path} without its folder and without {@code suffix}. */
  public static String stem(String path, String suffix) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
  }
}
