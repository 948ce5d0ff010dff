package dev.guise.fingerprint;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A browser's request rules per {@link RequestKind}, read from {@code <profile>-requests.json}
 * beside the captures: each kind's header list in the browser's order (values of its own, values of
 * the navigation defaults, and slots the request fills), its HEADERS frame priority, and the
 * browser's HPACK habits. Immutable and thread-safe.
 */
final class RequestRules {
  private static final String DIR = "/dev/guise/fingerprint/profiles/";
  private static final RequestRules NONE =
      new RequestRules(
          Map.of(), Map.of(), HeaderCompression.incremental(), "", StreamDependency.ROOT);

  /** One entry of a kind's list; an empty value is a slot the request fills. */
  record Entry(String name, Optional<String> value) {}

  /**
   * One kind's list and frame priority; {@code originAlways}: the browser sends {@code origin} on
   * every request of the kind, same-origin GETs included (the kind's {@code "origin": "always"}).
   */
  record KindRule(
      List<Entry> entries,
      Map<String, Integer> rank,
      Priority framePriority,
      boolean originAlways) {}

  private final Map<RequestKind, KindRule> kinds;
  private final Map<RequestKind, KindRule> redirectHops;
  private final HeaderCompression compression;
  private final String othersBefore;
  private final StreamDependency streamDependency;

  private RequestRules(
      Map<RequestKind, KindRule> kinds,
      Map<RequestKind, KindRule> redirectHops,
      HeaderCompression compression,
      String othersBefore,
      StreamDependency streamDependency) {
    this.kinds = Map.copyOf(kinds);
    this.redirectHops = Map.copyOf(redirectHops);
    this.compression = compression;
    this.othersBefore = othersBefore;
    this.streamDependency = streamDependency;
  }

  /** No kinds: a profile built by a tool from its own capture. */
  static RequestRules none() {
    return NONE;
  }

  /**
   * Reads {@code <profileName>-requests.json}, taking plain names' values from {@code defaults}.
   */
  @SuppressWarnings("unchecked")
  static RequestRules load(String profileName, List<Header> defaults) {
    String file = DIR + profileName + "-requests.json";
    Map<String, Object> json;
    try (InputStream in = RequestRules.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + file);
      }
      json = JSON.std.mapFrom(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return fromJson(file, json, defaults);
  }

  /**
   * Reads rules of the {@code <profile>-requests.json} shape (also a profile file's {@code
   * requests} member); {@code origin} names the file in error messages.
   *
   * @throws IllegalStateException if a plain name has no navigation default
   * @throws IllegalArgumentException if a kind is unknown
   */
  @SuppressWarnings("unchecked")
  static RequestRules fromJson(String origin, Map<String, Object> json, List<Header> defaults) {
    String file = origin;
    Map<String, Object> hc = (Map<String, Object>) json.get("header_compression");
    HeaderCompression compression =
        new HeaderCompression(
            new HashSet<>((List<String>) hc.get("without_indexing")),
            new HashSet<>((List<String>) hc.get("never_indexed")),
            HeaderCompression.parse(HeaderCompression.Huffman.class, (String) hc.get("huffman")),
            HeaderCompression.parse(
                HeaderCompression.NameReference.class, (String) hc.get("name_reference")));
    Map<RequestKind, KindRule> kinds = new EnumMap<>(RequestKind.class);
    Map<RequestKind, KindRule> redirects = new EnumMap<>(RequestKind.class);
    Map<String, Object> kindsJson = (Map<String, Object>) json.get("kinds");
    for (Map.Entry<String, Object> e : kindsJson.entrySet()) {
      boolean redirect = e.getKey().endsWith("-redirect");
      RequestKind kind =
          RequestKind.of(redirect ? e.getKey().substring(0, e.getKey().indexOf('-')) : e.getKey());
      KindRule rule = kindRule(file, e.getKey(), (Map<String, Object>) e.getValue(), defaults);
      (redirect ? redirects : kinds).put(kind, rule);
    }
    String dependency = (String) json.get("stream_dependency");
    return new RequestRules(
        kinds,
        redirects,
        compression,
        (String) json.get("others_before"),
        dependency == null ? StreamDependency.ROOT : StreamDependency.of(dependency));
  }

  @SuppressWarnings("unchecked")
  private static KindRule kindRule(
      String file, String key, Map<String, Object> json, List<Header> defaults) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> rank = new HashMap<>();
    for (String text : (List<String>) json.get("headers")) {
      Entry entry;
      int colon = text.indexOf(": ");
      if (colon > 0) {
        entry = new Entry(text.substring(0, colon), Optional.of(text.substring(colon + 2)));
      } else if (text.endsWith("?")) {
        entry = new Entry(text.substring(0, text.length() - 1), Optional.empty());
      } else {
        String value =
            defaults.stream()
                .filter(h -> h.name().equals(text))
                .map(Header::value)
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            file + " " + key + ": no navigation default for " + text));
        entry = new Entry(text, Optional.of(value));
      }
      rank.put(entry.name(), entries.size());
      entries.add(entry);
    }
    Map<String, Object> p = (Map<String, Object>) json.get("frame_priority");
    Priority priority =
        new Priority((Boolean) p.get("exclusive"), 0, ((Number) p.get("weight")).intValue());
    Object origin = json.get("origin");
    if (origin != null && !origin.equals("always")) {
      throw new IllegalArgumentException(
          file + " " + key + ": origin is \"always\" or absent, not " + origin);
    }
    return new KindRule(List.copyOf(entries), Map.copyOf(rank), priority, origin != null);
  }

  HeaderCompression compression() {
    return compression;
  }

  StreamDependency streamDependency() {
    return streamDependency;
  }

  boolean supports(RequestKind kind) {
    return kinds.containsKey(kind);
  }

  Priority framePriority(RequestKind kind, boolean redirectHop) {
    return rule(kind, redirectHop).framePriority();
  }

  boolean originAlways(RequestKind kind) {
    return rule(kind, false).originAlways();
  }

  private KindRule rule(RequestKind kind, boolean redirectHop) {
    KindRule rule = redirectHop ? redirectHops.get(kind) : null;
    if (rule == null) {
      rule = kinds.get(kind);
    }
    if (rule == null) {
      throw new IllegalArgumentException(
          "the profile has no captured rules for " + kind.key() + " requests; it has " + keys());
    }
    return rule;
  }

  private String keys() {
    List<String> out = new ArrayList<>();
    for (RequestKind k : RequestKind.values()) {
      if (kinds.containsKey(k)) {
        out.add(k.key());
      }
    }
    return String.join(", ", out);
  }

  /**
   * The kind's headers with the caller's merged in: a caller header whose name the kind sends
   * replaces it in place, one that fills a slot goes to the slot, and any other goes before the
   * {@code others_before} header (or last).
   */
  List<Header> headers(
      RequestKind kind, boolean redirectHop, HeaderOverrides overrides, Set<String> pinnedLast) {
    KindRule rule = rule(kind, redirectHop);
    List<Header> out = new ArrayList<>();
    for (Entry e : rule.entries()) {
      if (e.value().isPresent() && !overrides.removed().contains(e.name())) {
        out.add(new Header(e.name(), e.value().get()));
      }
    }
    overrides.mergeInto(out, (list, lower) -> insertionPoint(rule, list, lower, pinnedLast));
    return List.copyOf(out);
  }

  private int insertionPoint(KindRule rule, List<Header> out, String lower, Set<String> pinned) {
    Integer r = rule.rank().get(lower);
    if (r != null) {
      for (int i = 0; i < out.size(); i++) {
        Integer other = rule.rank().get(out.get(i).name());
        if (other != null && other > r) {
          return i;
        }
      }
      return out.size();
    }
    int before = HeaderOverrides.indexOf(out, othersBefore);
    if (before >= 0) {
      return before;
    }
    int end = out.size();
    while (end > 0 && pinned.contains(out.get(end - 1).name())) {
      end--;
    }
    return end;
  }
}
