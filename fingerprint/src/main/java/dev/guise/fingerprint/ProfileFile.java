package dev.guise.fingerprint;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.AkamaiFingerprint.Http2Setting;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A browser profile read from a profile file: the versioned JSON document {@code guise capture}
 * writes (format {@value #FORMAT}, version {@value #VERSION}; every member is described in {@code
 * docs/profiles.md}). Beside the {@link #profile() profile} itself it keeps what a {@link
 * BrowserProfile} does not hold: the browser's resumed ClientHello, its HTTP/1.1 request heads, and
 * what the capture could not reproduce.
 *
 * <p>Bad input is an {@link IllegalArgumentException} naming the file and the member. Files larger
 * than {@value #MAX_BYTES} bytes are refused before they are read.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProfileFile {
  /** The value of the file's {@code format} member. */
  public static final String FORMAT = "guise-profile";

  /** The format version this reader understands. */
  public static final int VERSION = 1;

  /** The largest file read: a capture is some tens of kilobytes. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private final BrowserProfile profile;
  private final Optional<ClientHello> resumedHello;
  private final Map<String, List<Header>> http1Heads;
  private final List<String> notReproduced;
  private final String userAgent;

  private ProfileFile(
      BrowserProfile profile,
      Optional<ClientHello> resumedHello,
      Map<String, List<Header>> http1Heads,
      List<String> notReproduced,
      String userAgent) {
    this.profile = profile;
    this.resumedHello = resumedHello;
    this.http1Heads = http1Heads;
    this.notReproduced = notReproduced;
    this.userAgent = userAgent;
  }

  /**
   * Reads the profile file at {@code path}.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is too large, not a profile file of this version, or a
   *     member is missing or wrong (the message names it)
   */
  public static ProfileFile read(Path path) throws IOException {
    long size = Files.size(path);
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException(
          "profile file " + path + ": " + size + " bytes, more than the " + MAX_BYTES + " allowed");
    }
    return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
  }

  /**
   * Parses a profile file's text; {@code origin} names it in error messages.
   *
   * @throws IllegalArgumentException as {@link #read(Path)}
   */
  public static ProfileFile parse(String json, String origin) {
    if (json.length() > MAX_BYTES) {
      throw new IllegalArgumentException(origin + ": larger than " + MAX_BYTES + " characters");
    }
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(origin + ": not JSON: " + e.getMessage(), e);
    }
    return new Parser(origin, root).file();
  }

  /** The profile, ready for {@link BrowserProfiles#register(BrowserProfile, String)}. */
  public BrowserProfile profile() {
    return profile;
  }

  /** The ClientHello the browser sent when it resumed a session with a ticket, if captured. */
  public Optional<ClientHello> resumedHello() {
    return resumedHello;
  }

  /**
   * The browser's HTTP/1.1 request heads by request kind key ({@code document}, ...), header names
   * as the browser spelled them, in its order; empty when the capture had no HTTP/1.1 exchange.
   */
  public Map<String, List<Header>> http1Heads() {
    return http1Heads;
  }

  /** What the capture saw but a Guise profile cannot reproduce, one sentence each. */
  public List<String> notReproduced() {
    return notReproduced;
  }

  /** The User-Agent the profile sends. */
  public String userAgent() {
    return userAgent;
  }

  @Override
  public String toString() {
    return "ProfileFile[" + profile.name() + "]";
  }

  /** One pass over the parsed JSON; every error names {@code origin} and the member path. */
  private static final class Parser {
    private final String origin;
    private final Map<String, Object> root;

    Parser(String origin, Map<String, Object> root) {
      this.origin = origin;
      this.root = root;
    }

    ProfileFile file() {
      String format = string(root, "format");
      if (!FORMAT.equals(format)) {
        throw bad("format", "is '" + format + "', not '" + FORMAT + "'");
      }
      int version = integer(root, "version");
      if (version != VERSION) {
        throw bad("version", version + " is not supported; this Guise reads version " + VERSION);
      }
      String name = string(root, "name");
      List<String> aliases = strings(root, "aliases");
      String description = string(root, "description");
      Map<String, Object> tls = object(root, "tls");
      ClientHello hello = hello(object(tls, "client_hello"), "tls.client_hello");
      TlsRandomisation randomisation = randomisation(object(tls, "randomisation"));
      Optional<ClientHello> resumed =
          tls.get("resumed_client_hello") == null
              ? Optional.empty()
              : Optional.of(hello(object(tls, "resumed_client_hello"), "tls.resumed_client_hello"));
      Http2Behaviour http2 = http2(object(root, "http2"));
      List<Header> navigation = headers(root, "navigation_headers");
      List<String> known = strings(root, "known_header_order");
      Set<String> pinned = Set.copyOf(strings(root, "pinned_last"));
      RequestRules rules;
      try {
        rules = RequestRules.fromJson(origin + " requests", object(root, "requests"), navigation);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(origin + ": requests: " + e.getMessage(), e);
      }
      BrowserProfile profile;
      try {
        profile =
            new BrowserProfile(
                name,
                aliases,
                description,
                hello,
                randomisation,
                http2,
                navigation,
                known,
                pinned,
                rules);
        // A captured resumed hello is what lets an engine resume as this browser does; without
        // one the profile never resumes.
        if (resumed.isPresent()) {
          profile = profile.withResumedHello(resumed.get());
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
      }
      Map<String, List<Header>> http1 = new LinkedHashMap<>();
      if (root.get("http1") != null) {
        Map<String, Object> h1 = object(root, "http1");
        for (String kind : h1.keySet()) {
          RequestKind.of(kind);
          http1.put(kind, List.copyOf(headers(h1, kind)));
        }
      }
      List<String> notReproduced =
          root.get("not_reproduced") == null ? List.of() : strings(root, "not_reproduced");
      String userAgent =
          navigation.stream()
              .filter(h -> h.is("user-agent"))
              .map(Header::value)
              .findFirst()
              .orElseThrow(() -> bad("navigation_headers", "has no user-agent"));
      return new ProfileFile(
          profile, resumed, Map.copyOf(http1), List.copyOf(notReproduced), userAgent);
    }

    private ClientHello hello(Map<String, Object> json, String member) {
      String hex = string(json, "hex");
      try {
        return ClientHello.parse(HexFormat.of().parseHex(hex));
      } catch (IllegalArgumentException | MalformedClientHelloException e) {
        throw bad(member + ".hex", "is not a ClientHello: " + e.getMessage());
      }
    }

    private TlsRandomisation randomisation(Map<String, Object> json) {
      List<Integer> lengths = new ArrayList<>();
      for (Object o : list(json, "ech_payload_lengths")) {
        lengths.add(toInt(o, "tls.randomisation.ech_payload_lengths"));
      }
      return new TlsRandomisation(
          bool(json, "permutes_extensions"),
          bool(json, "grease"),
          lengths,
          bool(json, "ech_aead_id_varies"));
    }

    @SuppressWarnings("unchecked")
    private Http2Behaviour http2(Map<String, Object> json) {
      List<Http2Setting> settings = new ArrayList<>();
      for (Object o : list(json, "settings")) {
        Map<String, Object> s = (Map<String, Object>) cast(o, Map.class, "http2.settings");
        settings.add(new Http2Setting(integer(s, "id"), longValue(s, "value")));
      }
      List<PriorityFrame> frames = new ArrayList<>();
      for (Object o : list(json, "priority_frames")) {
        Map<String, Object> p = (Map<String, Object>) cast(o, Map.class, "http2.priority_frames");
        frames.add(new PriorityFrame(integer(p, "stream_id"), priority(p)));
      }
      Optional<Priority> headersPriority =
          json.get("headers_priority") == null
              ? Optional.empty()
              : Optional.of(priority(object(json, "headers_priority")));
      try {
        return new Http2Behaviour(
            settings,
            optionalLong(json, "connection_window_update"),
            frames,
            headersPriority,
            integer(json, "first_stream_id"),
            optionalLong(json, "stream_window_update"),
            strings(json, "pseudo_header_order"));
      } catch (IllegalArgumentException e) {
        throw bad("http2", e.getMessage());
      }
    }

    private Priority priority(Map<String, Object> p) {
      return new Priority(bool(p, "exclusive"), integer(p, "depends_on"), integer(p, "weight"));
    }

    @SuppressWarnings("unchecked")
    private List<Header> headers(Map<String, Object> json, String key) {
      List<Header> out = new ArrayList<>();
      for (Object o : list(json, key)) {
        List<Object> pair = (List<Object>) cast(o, List.class, key);
        if (pair.size() != 2
            || !(pair.get(0) instanceof String name)
            || !(pair.get(1) instanceof String value)) {
          throw bad(key, "holds " + o + ", not a [name, value] pair of strings");
        }
        out.add(new Header(name, value));
      }
      return out;
    }

    private OptionalLong optionalLong(Map<String, Object> json, String key) {
      return json.get(key) == null ? OptionalLong.empty() : OptionalLong.of(longValue(json, key));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Map<String, Object> json, String key) {
      return (Map<String, Object>) cast(present(json, key), Map.class, key);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Map<String, Object> json, String key) {
      return (List<Object>) cast(present(json, key), List.class, key);
    }

    private List<String> strings(Map<String, Object> json, String key) {
      List<String> out = new ArrayList<>();
      for (Object o : list(json, key)) {
        out.add((String) cast(o, String.class, key));
      }
      return out;
    }

    private String string(Map<String, Object> json, String key) {
      return (String) cast(present(json, key), String.class, key);
    }

    private boolean bool(Map<String, Object> json, String key) {
      return (Boolean) cast(present(json, key), Boolean.class, key);
    }

    private int integer(Map<String, Object> json, String key) {
      return toInt(present(json, key), key);
    }

    private long longValue(Map<String, Object> json, String key) {
      Object o = present(json, key);
      // jackson-jr reads integers as Integer or Long by size; a fraction is an error, not cut.
      if (o instanceof Integer || o instanceof Long) {
        return ((Number) o).longValue();
      }
      throw bad(key, "is " + o + ", not an integer");
    }

    private int toInt(Object o, String key) {
      if (o instanceof Integer i) {
        return i;
      }
      throw bad(key, "is " + o + ", not a 32-bit integer");
    }

    private Object present(Map<String, Object> json, String key) {
      Object o = json.get(key);
      if (o == null) {
        throw bad(key, "is missing");
      }
      return o;
    }

    private Object cast(Object o, Class<?> type, String key) {
      if (!type.isInstance(o)) {
        throw bad(key, "is " + o + ", not " + type.getSimpleName().toLowerCase(Locale.ROOT));
      }
      return o;
    }

    private IllegalArgumentException bad(String member, String what) {
      return new IllegalArgumentException(origin + ": member " + member + " " + what);
    }
  }
}
