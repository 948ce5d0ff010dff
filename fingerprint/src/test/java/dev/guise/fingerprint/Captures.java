package dev.guise.fingerprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.guise.fingerprint.internal.Json;
import java.util.stream.Stream;

/** The reference captures in shared/reference/browsers, found by walking up from the working dir. */
final class Captures {
  private Captures() {}

  /** One capture: its name (file stem), raw bytes and decoded JSON. */
  record Capture(String name, byte[] bin, Map<String, Object> json) {
    String client() {
      return (String) json.get("client");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String... path) {
      Object o = json;
      for (String p : path) {
        o = ((Map<String, Object>) o).get(p);
      }
      return (Map<String, Object>) o;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Path browsersDir() {
    Path dir = Path.of("").toAbsolutePath();
    // Walking up finds both layouts: X/main/<module> (shared at X/shared) and a worktree whose
    // ancestor holds shared/ (/work/wt/fingerprint -> /work/shared).
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/reference/browsers");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no shared/reference found above " + dir);
  }

  @SuppressWarnings("unchecked")
  static List<Capture> all() {
    Path dir = browsersDir();
    List<Capture> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path bin : files.filter(f -> f.toString().endsWith(".bin")).sorted().toList()) {
        String stem = bin.getFileName().toString().replace(".bin", "");
        Path json = dir.resolve(stem + ".json");
        out.add(
            new Capture(
                stem,
                Files.readAllBytes(bin),
                (Map<String, Object>) Json.parse(Files.readString(json, StandardCharsets.UTF_8))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.size() < 9) {
      throw new IllegalStateException("expected at least 9 captures in " + dir + ", found " + out.size());
    }
    return out;
  }

  static List<Capture> of(String client) {
    return all().stream().filter(c -> c.client().equals(client)).toList();
  }
}
