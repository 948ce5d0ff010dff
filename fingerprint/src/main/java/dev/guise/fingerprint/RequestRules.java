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
import java.util.Locale;
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
   * every request of the kind, same-origin GETs included (the kind's {@code "origin": "always"});
   * {@code authors}: where the browser puts headers a page's script set (the kind's {@code
   * author_headers}), empty for the profile-wide {@code others_before} rule.
   */
  record KindRule(
      List<Entry> entries,
      Map<String, Integer> rank,
      Priority framePriority,
      boolean originAlways,
      Optional<AuthorRule> authors) {}

  /**
   * Where a browser puts the headers a script set on a request of one kind (a {@code fetch()}'s or
   * an {@code XMLHttpRequest}'s own): one block right after the kind's entry of rank {@code
   * afterRank} (-1: first), in the {@link AuthorOrder}; the kind's slots in {@code joins}
   * (Firefox's {@code content-type}) go in the block too, where the caller set them. {@code map}:
   * for the Chromium orders, the kind's headers that share the renderer's header map with the
   * script's, in the order the renderer adds them (its slots among them, such as {@code
   * content-type}, are the caller's).
   */
  record AuthorRule(int afterRank, AuthorOrder order, Set<String> joins, List<String> map) {
    /** The rank of {@code name} in the kind's list, none for a name that joins the block. */
    Integer rank(KindRule rule, String name) {
      return joins.contains(name) ? null : rule.rank().get(name);
    }
  }

  /** How a browser orders the headers a script set (the {@code author_headers} {@code order}). */
  enum AuthorOrder {
    /** In the order the caller set them: {@code "as-set"}. */
    AS_SET("as-set"),
    /** By name: {@code "sorted"}. */
    SORTED("sorted"),
    /**
     * Chromium's {@code XMLHttpRequest}: the script's headers go through a header map of the
     * request's own, then with the renderer's into the request's map, listed in that map's order
     * ({@link ChromiumHeaderMap}): {@code "chromium-map"}.
     */
    CHROMIUM_MAP("chromium-map"),
    /**
     * Chromium's {@code fetch()}: the script's headers enter the request's map sorted by name (a
     * fetch header list keeps them sorted), then the renderer's: {@code "chromium-map-sorted"}.
     */
    CHROMIUM_MAP_SORTED("chromium-map-sorted");

    private final String key;

    AuthorOrder(String key) {
      this.key = key;
    }

    boolean mapped() {
      return this == CHROMIUM_MAP || this == CHROMIUM_MAP_SORTED;
    }

    static AuthorOrder of(Object key) {
      for (AuthorOrder o : values()) {
        if (o.key.equals(key)) {
          return o;
        }
      }
      return null;
    }
  }

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
    return new KindRule(
        List.copyOf(entries),
        Map.copyOf(rank),
        priority,
        origin != null,
        authorRule(file, key, json.get("author_headers"), rank));
  }

  /** The kind's {@code author_headers} member: {@code {"after": name or null, "order": ...}}. */
  @SuppressWarnings("unchecked")
  private static Optional<AuthorRule> authorRule(
      String file, String key, Object member, Map<String, Integer> rank) {
    if (member == null) {
      return Optional.empty();
    }
    String where = file + " " + key + " author_headers: ";
    if (!(member instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(where + "an object {after, order}, not " + member);
    }
    Map<String, Object> json = (Map<String, Object>) member;
    if (!json.containsKey("after")) {
      throw new IllegalArgumentException(where + "missing after (a header name, or null: first)");
    }
    Object after = json.get("after");
    int afterRank = -1;
    if (after != null) {
      Integer r = after instanceof String name ? rank.get(name) : null;
      if (r == null) {
        throw new IllegalArgumentException(where + "after names no header of the kind: " + after);
      }
      afterRank = r;
    }
    AuthorOrder order = AuthorOrder.of(json.get("order"));
    if (order == null) {
      throw new IllegalArgumentException(
          where
              + "order is \"as-set\", \"sorted\", \"chromium-map\" or \"chromium-map-sorted\","
              + " not "
              + json.get("order"));
    }
    Set<String> joins = new HashSet<>(names(where, "joins", json.get("joins"), rank));
    List<String> map = names(where, "map", json.get("map"), rank);
    if (order.mapped() && map.isEmpty()) {
      throw new IllegalArgumentException(
          where + order.key + " needs map, the kind's headers in it");
    }
    return Optional.of(new AuthorRule(afterRank, order, Set.copyOf(joins), map));
  }

  /** An optional list of the kind's header names. */
  private static List<String> names(
      String where, String member, Object value, Map<String, Integer> rank) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> names)) {
      throw new IllegalArgumentException(where + member + " is a list of names, not " + value);
    }
    List<String> out = new ArrayList<>();
    for (Object n : names) {
      if (!(n instanceof String name) || !rank.containsKey(name)) {
        throw new IllegalArgumentException(where + member + " names no header of the kind: " + n);
      }
      out.add(name);
    }
    return List.copyOf(out);
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
   * replaces it in place, one that fills a slot goes to the slot, and any other goes where the
   * kind's {@code author_headers} says (fetch, xhr: where the browser puts a script's headers) or,
   * for a kind without it, before the {@code others_before} header (or last).
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
    if (rule.authors().isPresent() && rule.authors().get().order().mapped()) {
      inMapOrder(rule, rule.authors().get(), out, overrides);
    }
    return List.copyOf(out);
  }

  /**
   * Puts the headers that share Chromium's renderer header map (the caller's new ones, the slots of
   * the rule's map the caller filled, and the kind's own in it) in that map's order, where the
   * first of them is: as Chromium lists them, a set of names decides its own order.
   */
  private static void inMapOrder(
      KindRule rule, AuthorRule authors, List<Header> out, HeaderOverrides overrides) {
    List<String> caller = new ArrayList<>();
    for (Header h : overrides.set()) {
      String lower = h.name().toLowerCase(Locale.ROOT);
      boolean mine =
          !rule.rank().containsKey(lower) || (authors.map().contains(lower) && isSlot(rule, lower));
      if (mine && !caller.contains(lower)) {
        caller.add(lower);
      }
    }
    if (authors.order() == AuthorOrder.CHROMIUM_MAP_SORTED) {
      caller.sort(null);
    } else {
      caller = new ArrayList<>(ChromiumHeaderMap.order(caller));
    }
    List<String> inserted = new ArrayList<>(caller);
    for (String own : authors.map()) {
      if (!inserted.contains(own) && HeaderOverrides.indexOf(out, own) >= 0) {
        inserted.add(own);
      }
    }
    Set<String> members = new HashSet<>(inserted);
    int first = -1;
    Map<String, List<Header>> byName = new HashMap<>();
    for (int i = 0; i < out.size(); i++) {
      Header h = out.get(i);
      if (members.contains(h.name())) {
        first = first < 0 ? i : first;
        byName.computeIfAbsent(h.name(), n -> new ArrayList<>()).add(h);
      }
    }
    if (first < 0) {
      return;
    }
    out.removeIf(h -> members.contains(h.name()));
    List<Header> ordered = new ArrayList<>();
    for (String name : ChromiumHeaderMap.order(inserted)) {
      ordered.addAll(byName.getOrDefault(name, List.of()));
    }
    out.addAll(first, ordered);
  }

  private static boolean isSlot(KindRule rule, String name) {
    for (Entry e : rule.entries()) {
      if (e.name().equals(name) && e.value().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private int insertionPoint(KindRule rule, List<Header> out, String lower, Set<String> pinned) {
    if (rule.authors().isPresent() && rule.authors().get().joins().contains(lower)) {
      return authorInsertionPoint(rule, rule.authors().get(), out, lower);
    }
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
    if (rule.authors().isPresent()) {
      return authorInsertionPoint(rule, rule.authors().get(), out, lower);
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

  /**
   * Where a new header goes under the kind's {@link AuthorRule}: before the first header ranked
   * after the rule's anchor, so after the new headers already placed there (the order set), or, for
   * a browser that sorts them, among those by name. The new headers already placed (and the joined
   * slots) are the only unranked ones in that run: every other header of the list is the kind's.
   */
  private static int authorInsertionPoint(
      KindRule rule, AuthorRule authors, List<Header> out, String lower) {
    int at = out.size();
    for (int i = 0; i < out.size(); i++) {
      Integer r = authors.rank(rule, out.get(i).name());
      if (r != null && r > authors.afterRank()) {
        at = i;
        break;
      }
    }
    if (authors.order() == AuthorOrder.SORTED) {
      while (at > 0
          && authors.rank(rule, out.get(at - 1).name()) == null
          && out.get(at - 1).name().compareTo(lower) > 0) {
        at--;
      }
    }
    return at;
  }
}
