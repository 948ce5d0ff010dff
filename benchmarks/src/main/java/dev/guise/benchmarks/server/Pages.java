package dev.guise.benchmarks.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The pages of the {@code Download} benchmark: HTML of an exact decoded size, generated from a
 * fixed seed (the same bytes in every run and every JVM), and its gzip and br encodings.
 *
 * <p>The HTML has the shape of a news or shop page: a head of meta, link and script tags, then a
 * navigation list and articles of headings, paragraphs with inline links, lists and tables, all
 * with class attributes. The words are invented (syllables drawn with a Zipf-like skew), so the
 * text compresses like prose, not like repeated filler: gzip takes a page to about a quarter.
 *
 * <p>gzip is {@link GZIPOutputStream} (zlib level 6, what servers use on the fly); br is the Debian
 * {@code brotli} command at quality 5 (a common on-the-fly setting), since no brotli encoder is on
 * Maven Central as pure Java. Both are encoded once, when the server starts.
 */
public final class Pages {
  /** The page sizes (decoded bytes) by their benchmark name. */
  public static final Map<String, Integer> SIZES =
      Map.of("16KiB", 16 * 1024, "128KiB", 128 * 1024, "1MiB", 1024 * 1024);

  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ner", "to", "sa", "ve", "ri", "dan", "qu", "el", "po", "sti", "an", "re",
    "mo", "li", "tar", "en", "co", "bu", "ght", "ion", "ex", "pla", "ur", "fi", "ne", "ost", "ma"
  };
  private static final String[] TAGS = {"news", "shop", "guide", "sport", "tech", "travel"};

  private static final Map<String, byte[]> ENCODED = new ConcurrentHashMap<>();

  private Pages() {}

  /** The decoded page of {@code size} bytes (one of {@link #SIZES}' values). */
  public static byte[] html(int size) {
    return ENCODED.computeIfAbsent("identity/" + size, k -> generate(size)).clone();
  }

  /** The page of {@code size} decoded bytes in {@code coding} ("gzip" or "br"). */
  public static byte[] encoded(int size, String coding) {
    return ENCODED.computeIfAbsent(
        coding + "/" + size,
        k ->
            switch (coding) {
              case "gzip" -> gzip(html(size));
              case "br" -> brotli(html(size));
              default -> throw new IllegalArgumentException("unknown coding " + coding);
            });
  }

  static byte[] generate(int size) {
    SplittableRandom random = new SplittableRandom(0x6775697365L + size);
    StringBuilder b = new StringBuilder(size + 4096);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(sentence(random, 6))
        .append("</title>\n");
    for (int i = 0; i < 6; i++) {
      b.append("<link rel=\"stylesheet\" href=\"/static/css/")
          .append(word(random))
          .append('.')
          .append(Long.toHexString(random.nextLong()))
          .append(".css\">\n");
    }
    for (int i = 0; i < 5; i++) {
      b.append("<script defer src=\"/static/js/")
          .append(word(random))
          .append('-')
          .append(Integer.toHexString(random.nextInt()))
          .append(".js\"></script>\n");
    }
    b.append("</head>\n<body class=\"page page-")
        .append(TAGS[random.nextInt(TAGS.length)])
        .append("\">\n<nav class=\"site-nav\"><ul>\n");
    for (int i = 0; i < 12; i++) {
      link(b.append("<li class=\"nav-item\">"), random).append("</li>\n");
    }
    b.append("</ul></nav>\n<main id=\"content\">\n");
    int article = 0;
    while (b.length() < size) {
      article++;
      b.append("<article class=\"card card-")
          .append(TAGS[random.nextInt(TAGS.length)])
          .append("\" data-id=\"")
          .append(random.nextInt(1_000_000))
          .append("\">\n<h2 class=\"card-title\">")
          .append(sentence(random, 3 + random.nextInt(6)))
          .append("</h2>\n");
      int paragraphs = 1 + random.nextInt(4);
      for (int p = 0; p < paragraphs; p++) {
        b.append("<p class=\"card-text\">");
        int sentences = 2 + random.nextInt(5);
        for (int s = 0; s < sentences; s++) {
          if (random.nextInt(5) == 0) {
            link(b, random).append(' ');
          }
          b.append(sentence(random, 5 + random.nextInt(14))).append(". ");
        }
        b.append("</p>\n");
      }
      switch (article % 4) {
        case 1 -> {
          b.append("<ul class=\"related\">\n");
          for (int i = 0, n = 3 + random.nextInt(5); i < n; i++) {
            link(b.append("<li>"), random).append("</li>\n");
          }
          b.append("</ul>\n");
        }
        case 3 -> {
          b.append("<table class=\"specs\"><tbody>\n");
          for (int i = 0, n = 3 + random.nextInt(6); i < n; i++) {
            b.append("<tr><th>")
                .append(word(random))
                .append("</th><td>")
                .append(random.nextInt(10_000))
                .append(' ')
                .append(word(random))
                .append("</td></tr>\n");
          }
          b.append("</tbody></table>\n");
        }
        default -> {}
      }
      b.append("</article>\n");
    }
    String tail = "</main>\n</body>\n</html>\n";
    // Cut the articles so that the page, closed, is exactly `size` bytes (ASCII only).
    b.setLength(size - tail.length());
    b.append(tail);
    byte[] out = b.toString().getBytes(StandardCharsets.US_ASCII);
    if (out.length != size) {
      throw new IllegalStateException("page of " + out.length + " bytes, wanted " + size);
    }
    return out;
  }

  private static StringBuilder link(StringBuilder b, SplittableRandom random) {
    return b.append("<a href=\"/")
        .append(TAGS[random.nextInt(TAGS.length)])
        .append('/')
        .append(word(random))
        .append('-')
        .append(word(random))
        .append('-')
        .append(random.nextInt(100_000))
        .append("\">")
        .append(sentence(random, 1 + random.nextInt(4)))
        .append("</a>");
  }

  private static String sentence(SplittableRandom random, int words) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String w = word(random);
      if (i == 0) {
        w = w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1);
      } else {
        s.append(random.nextInt(9) == 0 ? ", " : " ");
      }
      s.append(w);
    }
    return s.toString();
  }

  /** A word of 1-4 syllables; low syllable indexes are likelier, as common words are in prose. */
  private static String word(SplittableRandom random) {
    int n = 1 + Math.min(random.nextInt(4), random.nextInt(4));
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int a = random.nextInt(SYLLABLES.length);
      int c = random.nextInt(SYLLABLES.length);
      w.append(SYLLABLES[Math.min(a, c)]);
    }
    return w.toString();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] brotli(byte[] data) {
    try {
      Process p =
          new ProcessBuilder(List.of("brotli", "--quality=5", "--stdout", "-"))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      // Write on another thread: the encoder's output pipe must be drained as it fills.
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (OutputStream in = p.getOutputStream()) {
                      in.write(data);
                    } catch (IOException e) {
                      // the read below sees the short output and the exit status
                    }
                  });
      byte[] out;
      try (InputStream encoded = p.getInputStream()) {
        out = encoded.readAllBytes();
      }
      writer.join(TimeUnit.SECONDS.toMillis(60));
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("brotli did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("brotli failed (exit " + p.exitValue() + ")");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the Download benchmark's br pages need the `brotli` command (Debian package brotli)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
