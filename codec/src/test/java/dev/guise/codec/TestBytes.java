package dev.guise.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Test helpers: hex and the shared reference captures. */
public final class TestBytes {
  private TestBytes() {}

  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The {@code shared/reference} directory: walks up from the working directory (the module
   * directory under Surefire) to the first ancestor holding {@code shared/reference}.
   */
  public static Path referenceDir() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("reference");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new UncheckedIOException(
        new IOException("no shared/reference above " + dir + " (CI keeps shared/ beside the clone)"));
  }
}
