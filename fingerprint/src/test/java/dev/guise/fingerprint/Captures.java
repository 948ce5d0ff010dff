package dev.guise.fingerprint;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.testing.ReferenceCaptures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference captures of browsers/ (from testing-support), each hello with its decoded JSON.
 * JSON numbers are read as jackson-jr gives them (Integer, Long or BigInteger; Double), so tests
 * read them through {@link Number}.
 */
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

  static List<Capture> all() {
    List<Capture> out = new ArrayList<>();
    for (String bin : ReferenceCaptures.list("browsers", ".bin")) {
      String stem = ReferenceCaptures.stem(bin, ".bin");
      String json = ReferenceCaptures.text("browsers/" + stem + ".json");
      try {
        out.add(new Capture(stem, ReferenceCaptures.bytes(bin), JSON.std.mapFrom(json)));
      } catch (IOException e) {
        throw new UncheckedIOException("capture " + stem + ".json does not parse", e);
      }
    }
    if (out.size() < 9) {
      throw new IllegalStateException("expected at least 9 captures, found " + out.size());
    }
    return out;
  }

  static List<Capture> of(String client) {
    return all().stream().filter(c -> c.client().equals(client)).toList();
  }
}
