package dev.guise.testkit;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.hpack.HpackEncoder.HuffmanPolicy;
import dev.guise.codec.hpack.HpackEncoder.Indexing;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.EncryptedClientHelloInfo;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.ProfileFile;
import dev.guise.fingerprint.TlsRandomisation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a browser sent to the {@link CaptureSite} into a profile file (format {@link
 * ProfileFile}, documented in {@code docs/profiles.md}): the ClientHello of the connection that
 * carried the page and what varies between the hellos of every full handshake, the resumed hello,
 * that connection's HTTP/2 preface, the header list of each request kind in wire order, the HPACK
 * habits, the HTTP/1.1 head, and the browser's identity. Every value comes from the records; what
 * the records cannot show is said in {@link #notReproduced()} and in the file's {@code notes}.
 *
 * <p>Immutable once built; not for concurrent building.
 */
public final class CaptureAnalysis {
  /** Headers a request carries only when it has them; the session fills them in. */
  private static final Set<String> SLOTS =
      Set.of(
          "sec-fetch-site",
          "sec-fetch-user",
          "referer",
          "origin",
          "cookie",
          "content-type",
          "content-length");

  /** The lower-cased names of the headers the capture page's script sets. */
  private static final List<String> AUTHOR_NAMES =
      CaptureSite.AUTHOR_HEADERS.stream().map(h -> h.name().toLowerCase(Locale.ROOT)).toList();

  private static final Pattern PRIORITY = Pattern.compile("^priority=([01]):(\\d+):(\\d+);");
  private static final Pattern VERSION = Pattern.compile("(Chrome|Firefox|Edg|Safari)/([0-9.]+)");

  private final String json;
  private final List<String> learned;
  private final List<String> notReproduced;

  private CaptureAnalysis(String json, List<String> learned, List<String> notReproduced) {
    this.json = json;
    this.learned = List.copyOf(learned);
    this.notReproduced = List.copyOf(notReproduced);
  }

  /**
   * Analyses one run of the capture flow.
   *
   * @param name the profile name to write (e.g. {@code chromium-156})
   * @param page the connections of the page's server
   * @param others the connections of the other origins' servers (HTTP/2 or HTTP/1.1)
   * @param resume the connections of the resume origin's server
   * @throws IllegalStateException if the flow did not run far enough to make a profile (no page
   *     request, no HTTP/2), saying what is missing
   */
  public static CaptureAnalysis of(
      String name,
      List<ConnectionRecord> page,
      List<ConnectionRecord> others,
      List<ConnectionRecord> resume) {
    return new Builder(name, page, others, resume).build();
  }

  /** The profile file's text (JSON, indented). */
  public String json() {
    return json;
  }

  /** What the capture learned, one line each, for the user. */
  public List<String> learned() {
    return learned;
  }

  /** What the browser did that the profile cannot reproduce, or the capture could not see. */
  public List<String> notReproduced() {
    return notReproduced;
  }

  /** One request of the flow with the HEADERS priority and HPACK tags of its stream. */
  private record Seen(
      ConnectionRecord connection, RequestRecord request, Optional<Priority> priority) {
    String method() {
      return pseudo(":method");
    }

    String path() {
      String p = pseudo(":path");
      int q = p.indexOf('?');
      return q < 0 ? p : p.substring(0, q);
    }

    String pseudo(String name) {
      for (Header h : request.headers()) {
        if (h.name().equals(name)) {
          return h.value();
        }
      }
      return "";
    }

    /** Whether this is a GET or HEAD whose {@code origin} header names its own origin. */
    boolean originOnSameOriginGet() {
      if (!method().equals("GET") && !method().equals("HEAD")) {
        return false;
      }
      String authority = pseudo(":authority");
      if (authority.endsWith(":443")) {
        authority = authority.substring(0, authority.length() - ":443".length());
      }
      String own = pseudo(":scheme") + "://" + authority;
      return request.headers().stream()
          .anyMatch(h -> h.name().equals("origin") && h.value().equalsIgnoreCase(own));
    }

    List<Header> regular() {
      return request.headers().stream().filter(h -> !h.name().startsWith(":")).toList();
    }

    /** Whether the page's script set {@link CaptureSite#AUTHOR_HEADERS} on this request. */
    boolean authored() {
      String key = method() + " " + path();
      return key.equals("GET " + CaptureSite.FETCH_GET_AUTHOR)
          || key.equals("POST " + CaptureSite.FETCH_POST_AUTHOR)
          || key.equals("GET " + CaptureSite.XHR_AUTHOR);
    }

    /** The browser's own headers: {@link #regular()} without the script's. */
    List<Header> browsers() {
      return regular().stream().filter(h -> !AUTHOR_NAMES.contains(h.name())).toList();
    }
  }

  /**
   * Where the script's headers were in one authored request ({@code request}: method and path): the
   * browser's header names just before and after them, {@code order} ({@code as-set} or {@code
   * sorted}), the browser's slots that went with them where the script set them ({@code joins}),
   * and whether they were one block ({@code exact}) or mixed in among {@code inside}.
   */
  private record AuthorPlacement(
      String request,
      Optional<String> before,
      Optional<String> after,
      String order,
      Set<String> joins,
      boolean exact,
      List<String> inside) {
    @Override
    public String toString() {
      return request + ": after " + before.orElse("(start)") + ", before " + after.orElse("(end)");
    }
  }

  private static final class Builder {
    private final String name;
    private final List<ConnectionRecord> page;
    private final List<ConnectionRecord> others;
    private final List<ConnectionRecord> resume;
    private final List<String> learned = new ArrayList<>();
    private final List<String> notReproduced = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Builder(
        String name,
        List<ConnectionRecord> page,
        List<ConnectionRecord> others,
        List<ConnectionRecord> resume) {
      this.name = name;
      this.page = page;
      this.others = others;
      this.resume = resume;
    }

    CaptureAnalysis build() {
      List<Seen> seen = new ArrayList<>();
      for (ConnectionRecord c : page) {
        for (RequestRecord r : c.requests()) {
          if (r.protocol() == HttpProtocol.HTTP_2) {
            seen.add(new Seen(c, r, headersPriority(c, r.streamId())));
          }
        }
      }
      Seen document =
          seen.stream()
              .filter(s -> s.method().equals("GET") && s.path().equals(CaptureSite.DOCUMENT))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the browser never asked for the page over HTTP/2 (GET /); was it"
                              + " opened, and does it speak h2?"));
      ConnectionRecord pageConnection = document.connection();
      ClientHello reference =
          pageConnection
              .clientHello()
              .orElseThrow(() -> new IllegalStateException("the page connection has no hello"));
      List<ClientHello> full = new ArrayList<>();
      List<ClientHello> resumed = new ArrayList<>();
      for (List<ConnectionRecord> group : List.of(page, others, resume)) {
        for (ConnectionRecord c : group) {
          c.clientHello()
              .ifPresent(
                  h -> (h.hasExtension(ClientHello.EXT_PRE_SHARED_KEY) ? resumed : full).add(h));
        }
      }
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("format", ProfileFile.FORMAT);
      root.put("version", ProfileFile.VERSION);
      root.put("name", name);
      root.put("aliases", List.of());
      String userAgent = document.pseudo("user-agent");
      for (Header h : document.regular()) {
        if (h.is("user-agent")) {
          userAgent = h.value();
        }
      }
      root.put("description", describe(userAgent));
      root.put("browser", identity(userAgent, document));
      root.put("captured", captured(full.size(), resumed.size()));
      root.put("tls", tls(reference, pageConnection, full, resumed));
      root.put("http2", http2(pageConnection));
      List<Header> navigation = new ArrayList<>();
      for (Header h : document.regular()) {
        if (!h.is("cookie")) {
          navigation.add(new Header(h.name(), h.value()));
        }
      }
      root.put("navigation_headers", pairs(navigation));
      Map<String, Object> requests = requests(seen, navigation, pageConnection);
      root.put("known_header_order", knownOrder(requests));
      root.put("pinned_last", pinnedLast(seen));
      root.put("requests", requests);
      Map<String, Object> http1 = http1();
      if (!http1.isEmpty()) {
        root.put("http1", http1);
      }
      root.put("not_reproduced", notReproduced);
      root.put("notes", notes);
      String text;
      try {
        text = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // The file must read back; every full hello must fit the profile's randomisation rules.
      ProfileFile file = ProfileFile.parse(text, "the captured profile " + name);
      for (ClientHello h : full) {
        List<String> diff = file.profile().differencesFrom(h);
        if (!diff.isEmpty()) {
          notReproduced.add(
              "a hello differs from the page's beyond what the profile varies: " + diff);
        }
      }
      return new CaptureAnalysis(text, learned, notReproduced);
    }

    private String describe(String userAgent) {
      Matcher m = VERSION.matcher(userAgent);
      String browser = m.find() ? m.group(1) + " " + m.group(2) : "an unknown browser";
      return browser + ", captured with guise capture; User-Agent " + userAgent;
    }

    private Map<String, Object> identity(String userAgent, Seen document) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("user_agent", userAgent);
      Matcher m = VERSION.matcher(userAgent);
      if (m.find()) {
        b.put("product", m.group(1));
        b.put("version", m.group(2));
      }
      List<Header> hints = new ArrayList<>();
      for (Header h : document.regular()) {
        if (h.name().startsWith("sec-ch-")) {
          hints.add(h);
        }
      }
      b.put("client_hints", pairs(hints));
      boolean headless = userAgent.contains("Headless");
      b.put("headless", headless);
      learned.add("browser: " + userAgent);
      if (headless) {
        notReproduced.add(
            "the User-Agent names a headless browser; the profile sends it as captured");
      }
      return b;
    }

    private Map<String, Object> captured(int full, int resumedCount) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("tool", "guise capture");
      c.put("full_handshakes", full);
      c.put("resumed_handshakes", resumedCount);
      return c;
    }

    private Map<String, Object> tls(
        ClientHello reference,
        ConnectionRecord pageConnection,
        List<ClientHello> full,
        List<ClientHello> resumed) {
      Map<String, Object> tls = new LinkedHashMap<>();
      tls.put(
          "client_hello", helloJson(pageConnection.clientHelloBytes().orElseThrow(), reference));
      Set<List<Integer>> orders = new LinkedHashSet<>();
      Set<Integer> echLengths = new TreeSet<>();
      Set<Integer> aeadIds = new TreeSet<>();
      for (ClientHello h : full) {
        orders.add(h.extensionTypes().stream().filter(t -> !ClientHello.isGrease(t)).toList());
        h.ech().map(EncryptedClientHelloInfo::payloadLength).ifPresent(echLengths::add);
        h.ech().map(EncryptedClientHelloInfo::aeadId).ifPresent(aeadIds::add);
      }
      boolean permutes = orders.size() > 1;
      boolean grease = reference.cipherSuites().stream().anyMatch(ClientHello::isGrease);
      TlsRandomisation randomisation =
          new TlsRandomisation(permutes, grease, List.copyOf(echLengths), aeadIds.size() > 1);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("permutes_extensions", permutes);
      r.put("grease", grease);
      r.put("ech_payload_lengths", List.copyOf(echLengths));
      r.put("ech_aead_id_varies", aeadIds.size() > 1);
      tls.put("randomisation", r);
      learned.add(
          "TLS: "
              + full.size()
              + " full handshakes; JA4 "
              + Ja4.of(reference).ja4()
              + "; extension order "
              + (permutes ? "permuted per connection" : "fixed")
              + "; GREASE "
              + (grease ? "yes" : "no")
              + (echLengths.isEmpty() ? "; no ECH" : "; ECH payload lengths seen " + echLengths));
      if (full.size() < 4 && !echLengths.isEmpty()) {
        notReproduced.add(
            "only "
                + full.size()
                + " full handshakes were seen: ECH lengths the browser did not show are not in"
                + " the profile");
      }
      if (resumed.isEmpty()) {
        notReproduced.add("the browser never resumed a session: no resumed ClientHello");
      } else {
        ClientHello r0 = resumed.get(0);
        byte[] bytes = resumedBytes(r0);
        tls.put("resumed_client_hello", helloJson(bytes, r0));
        learned.add(
            "TLS resumption: resumed hello JA4 "
                + Ja4.of(r0).ja4()
                + (r0.hasExtension(42) ? " with early_data" : ", no early_data"));
      }
      return tls;
    }

    private byte[] resumedBytes(ClientHello hello) {
      for (ConnectionRecord c : resume) {
        if (c.clientHello().map(hello::equals).orElse(false)) {
          return c.clientHelloBytes().orElseThrow();
        }
      }
      for (List<ConnectionRecord> group : List.of(page, others)) {
        for (ConnectionRecord c : group) {
          if (c.clientHello().map(hello::equals).orElse(false)) {
            return c.clientHelloBytes().orElseThrow();
          }
        }
      }
      throw new IllegalStateException("resumed hello without bytes");
    }

    private Map<String, Object> helloJson(byte[] bytes, ClientHello h) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("hex", HexFormat.of().formatHex(bytes));
      Map<String, Object> view = new LinkedHashMap<>();
      Ja4 ja4 = Ja4.of(h);
      Ja3 ja3 = Ja3.of(h);
      view.put("ja4", ja4.ja4());
      view.put("ja4_r", ja4.ja4r());
      view.put("ja3", ja3.hash());
      view.put("ja3n", ja3.normalizedHash());
      view.put("cipher_suites", hexList(h.cipherSuites()));
      view.put("extensions", hexList(h.extensionTypes()));
      view.put("supported_groups", hexList(h.supportedGroups()));
      List<String> shares = new ArrayList<>();
      h.keyShares().forEach(k -> shares.add(String.format("0x%04x/%d", k.group(), k.keyLength())));
      view.put("key_shares", shares);
      view.put("signature_algorithms", hexList(h.signatureAlgorithms()));
      view.put("supported_versions", hexList(h.supportedVersions()));
      view.put("alpn", h.alpn());
      view.put("alps", h.alpsProtocols());
      h.ech().ifPresent(e -> view.put("ech_payload_length", e.payloadLength()));
      m.put("view", view);
      return m;
    }

    private static List<String> hexList(List<Integer> values) {
      return values.stream().map(v -> String.format("0x%04x", v)).toList();
    }

    private Map<String, Object> http2(ConnectionRecord c) {
      Map<String, Object> m = new LinkedHashMap<>();
      List<Map<String, Object>> settings = new ArrayList<>();
      for (AkamaiFingerprint.Http2Setting s : c.http2Settings()) {
        settings.add(Map.of("id", s.id(), "value", s.value()));
      }
      m.put("settings", settings);
      m.put(
          "connection_window_update",
          c.http2ConnectionWindowUpdate().isPresent()
              ? c.http2ConnectionWindowUpdate().getAsLong()
              : null);
      List<Map<String, Object>> frames = new ArrayList<>();
      for (AkamaiFingerprint.PriorityFrame p : c.http2PriorityFrames()) {
        Map<String, Object> f = priorityJson(p.priority());
        f.put("stream_id", p.streamId());
        frames.add(f);
      }
      m.put("priority_frames", frames);
      Http2HeadersRecord first =
          c.http2FirstHeaders().orElseThrow(() -> new IllegalStateException("no HEADERS"));
      m.put("headers_priority", first.priority().map(this::priorityJson).orElse(null));
      m.put("first_stream_id", first.streamId());
      Long streamWindow = null;
      for (Http2FrameRecord f : c.http2Frames()) {
        if (f.type() == 8 && f.streamId() == first.streamId()) {
          streamWindow = Long.parseLong(f.detail().replaceAll("[^0-9]", ""));
          break;
        }
      }
      m.put("stream_window_update", streamWindow);
      m.put(
          "pseudo_header_order",
          first.headers().stream().map(Header::name).filter(n -> n.startsWith(":")).toList());
      String akamai = c.akamaiFingerprint().map(AkamaiFingerprint::value).orElse("");
      m.put("akamai", akamai);
      learned.add("HTTP/2: Akamai " + akamai);
      if (c.http2Frames().stream().anyMatch(f -> f.type() == 16)) {
        notReproduced.add("the browser sent PRIORITY_UPDATE frames; profiles do not carry them");
      }
      return m;
    }

    private Map<String, Object> priorityJson(Priority p) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("exclusive", p.exclusive());
      m.put("depends_on", p.dependsOn());
      m.put("weight", p.weight());
      return m;
    }

    private static Optional<Priority> headersPriority(ConnectionRecord c, int streamId) {
      for (Http2FrameRecord f : c.http2Frames()) {
        if (f.type() == 1 && f.streamId() == streamId) {
          Matcher m = PRIORITY.matcher(f.detail());
          if (m.find()) {
            return Optional.of(
                new Priority(
                    m.group(1).equals("1"),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
          }
          return Optional.empty();
        }
      }
      return Optional.empty();
    }

    /** The kind a request of the flow is, by its path; empty for what the flow does not use. */
    private static Optional<String> kindOf(Seen s) {
      String key =
          switch (s.method() + " " + s.path()) {
            case "GET " + CaptureSite.DOCUMENT, "POST " + CaptureSite.FORM -> "document";
            case "GET " + CaptureSite.DONE -> "document-redirect";
            case "GET " + CaptureSite.STYLE -> "style";
            case "GET " + CaptureSite.SCRIPT -> "script";
            case "GET " + CaptureSite.IMAGE -> "image";
            case "GET " + CaptureSite.FONT -> "font";
            case "GET " + CaptureSite.FETCH_GET,
                "POST " + CaptureSite.FETCH_POST,
                "GET " + CaptureSite.FETCH_GET_AUTHOR,
                "POST " + CaptureSite.FETCH_POST_AUTHOR ->
                "fetch";
            case "GET " + CaptureSite.XHR, "GET " + CaptureSite.XHR_AUTHOR -> "xhr";
            default -> "";
          };
      return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private Map<String, Object> requests(
        List<Seen> seen, List<Header> navigation, ConnectionRecord pageConnection) {
      Map<String, List<String>> lists = new LinkedHashMap<>();
      Map<String, List<String>> captured = new LinkedHashMap<>();
      Map<String, Priority> priorities = new LinkedHashMap<>();
      boolean dependsOnOpenStream = false;
      Map<String, List<Set<String>>> namesSeen = new LinkedHashMap<>();
      Map<String, List<List<String>>> wireOrders = new LinkedHashMap<>();
      Set<String> originAlways = new LinkedHashSet<>();
      Map<String, List<AuthorPlacement>> authored = new LinkedHashMap<>();
      for (Seen s : seen) {
        Optional<String> kind = kindOf(s);
        if (kind.isEmpty()) {
          continue;
        }
        if (s.originOnSameOriginGet()) {
          originAlways.add(kind.get());
        }
        if (s.authored()) {
          authorPlacement(s)
              .ifPresent(a -> authored.computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(a));
        }
        List<String> entries = new ArrayList<>();
        for (Header h : s.browsers()) {
          String entry = entry(h, navigation);
          if (!entries.contains(entry)) {
            entries.add(entry);
          }
        }
        lists.merge(kind.get(), entries, Builder::mergeOrder);
        Set<String> names = new LinkedHashSet<>();
        entries.forEach(e -> names.add(entryName(e)));
        namesSeen.computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(names);
        captured
            .computeIfAbsent(kind.get(), k -> new ArrayList<>())
            .add(s.method() + " " + s.path());
        List<String> wire = new ArrayList<>();
        s.regular().forEach(h -> wire.add(h.name()));
        wireOrders.computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(wire);
        // The dependency itself is the browser's timing; the profile keeps the exclusive flag and
        // weight per kind, and one rule for the dependency: a HEADERS that ever names an open
        // stream shows the urgency chain (Chromium); one that never does, the root (Firefox).
        s.priority().ifPresent(p -> priorities.putIfAbsent(kind.get(), p));
        if (s.priority().map(p -> p.dependsOn() != 0).orElse(false)) {
          dependsOnOpenStream = true;
        }
      }
      Map<String, Object> kinds = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : lists.entrySet()) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("captured", captured.get(e.getKey()));
        // Fetch sends origin on a GET only to another origin; a browser that sent it on a
        // same-origin GET of the kind (Chromium's fonts) sends it on every request of the kind.
        if (originAlways.contains(e.getKey())) {
          k.put("origin", "always");
          learned.add(e.getKey() + ": origin sent on a same-origin GET, so on every request");
        }
        Priority p = priorities.get(e.getKey());
        Map<String, Object> fp = new LinkedHashMap<>();
        if (p == null) {
          // No priority block: RFC 9113's default (non-exclusive, weight 16).
          fp.put("exclusive", false);
          fp.put("weight", 16);
        } else {
          fp.put("exclusive", p.exclusive());
          fp.put("weight", p.weight());
        }
        k.put("frame_priority", fp);
        // A header some requests of the kind sent and others did not (a form POST's
        // cache-control) is the request's to add: a slot, never a default.
        List<String> headers = new ArrayList<>();
        for (String entry : e.getValue()) {
          String n = entryName(entry);
          boolean always = namesSeen.get(e.getKey()).stream().allMatch(x -> x.contains(n));
          headers.add(always ? entry : n + "?");
        }
        k.put("headers", headers);
        authorHeaders(e.getKey(), e.getValue(), authored.get(e.getKey()))
            .ifPresent(a -> k.put("author_headers", a));
        // For people: each captured request's header names as they were on the wire.
        k.put("wire_order", wireOrders.get(e.getKey()));
        kinds.put(e.getKey(), k);
      }
      learned.add("request kinds captured: " + String.join(", ", kinds.keySet()));
      for (String wanted :
          List.of("document", "style", "script", "image", "font", "fetch", "xhr")) {
        if (!kinds.containsKey(wanted)) {
          notReproduced.add("no " + wanted + " request was seen: the profile has no rule for it");
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("header_compression", compression(pageConnection));
      List<String> document = lists.getOrDefault("document", List.of());
      String othersBefore = "";
      for (int i = document.size() - 1; i >= 0; i--) {
        String n = entryName(document.get(i));
        if (!n.equals("te")) {
          othersBefore = n;
          break;
        }
      }
      out.put("others_before", othersBefore);
      out.put("stream_dependency", dependsOnOpenStream ? "urgency-chain" : "root");
      notes.add(
          "others_before: where a header the browser itself never sends goes is captured only for"
              + " the kinds a page script can add headers to (fetch, xhr: their author_headers);"
              + " for the others it is put before the document's last header ("
              + othersBefore
              + ").");
      out.put("kinds", kinds);
      return out;
    }

    /**
     * Where the script's headers were on the wire of one authored request. They are one block in
     * the order set or sorted (Firefox: the POST's {@code Content-Type} in the block where the
     * script set it, so it {@code joins}), or mixed in among the browser's own headers (Chromium:
     * an order that depends on the set of names, not on the order set), which the profile can only
     * approach: {@code exact} false and {@code inside}, the browser's headers among them.
     */
    private Optional<AuthorPlacement> authorPlacement(Seen s) {
      List<String> wire = s.regular().stream().map(Header::name).toList();
      String label = s.method() + " " + s.path();
      List<String> set = new ArrayList<>(AUTHOR_NAMES);
      boolean post = s.method().equals("POST");
      if (post) {
        set.add(CaptureSite.AUTHOR_CONTENT_TYPE_AT, "content-type");
      }
      for (String n : set) {
        if (wire.indexOf(n) < 0 || wire.indexOf(n) != wire.lastIndexOf(n)) {
          notReproduced.add(label + ": the script's " + n + " did not arrive once: " + wire);
          return Optional.empty();
        }
      }
      Optional<AuthorPlacement> block =
          block(label, wire, set, post ? Set.of("content-type") : Set.of());
      if (block.isEmpty() && post) {
        // The browser may put the script's content-type in its own place for it, apart from the
        // rest.
        block = block(label, wire, AUTHOR_NAMES, Set.of());
      }
      if (block.isPresent()) {
        return block;
      }
      int first = wire.size();
      int last = -1;
      for (String n : AUTHOR_NAMES) {
        first = Math.min(first, wire.indexOf(n));
        last = Math.max(last, wire.indexOf(n));
      }
      List<String> inside = new ArrayList<>();
      for (int i = first; i <= last; i++) {
        if (!AUTHOR_NAMES.contains(wire.get(i))) {
          inside.add(wire.get(i));
        }
      }
      notReproduced.add(
          label
              + ": the script's headers came mixed in among the browser's own "
              + inside
              + " ("
              + wire
              + "), in neither the order set nor sorted; the profile puts them as one block"
              + " after the last of those, in the order set");
      return Optional.of(
          new AuthorPlacement(
              label,
              first > 0 ? Optional.of(wire.get(first - 1)) : Optional.empty(),
              last + 1 < wire.size() ? Optional.of(wire.get(last + 1)) : Optional.empty(),
              "as-set",
              Set.of(),
              false,
              inside));
    }

    /** The placement when the names of {@code set} were one block on the wire, in an order. */
    private static Optional<AuthorPlacement> block(
        String label, List<String> wire, List<String> set, Set<String> joins) {
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i < wire.size(); i++) {
        if (set.contains(wire.get(i))) {
          at.add(i);
        }
      }
      int first = at.get(0);
      int last = at.get(at.size() - 1);
      if (last - first != at.size() - 1) {
        return Optional.empty();
      }
      List<String> sent = at.stream().map(wire::get).toList();
      String order;
      if (sent.equals(set)) {
        order = "as-set";
      } else if (sent.equals(set.stream().sorted().toList())) {
        order = "sorted";
      } else {
        return Optional.empty();
      }
      return Optional.of(
          new AuthorPlacement(
              label,
              first > 0 ? Optional.of(wire.get(first - 1)) : Optional.empty(),
              last + 1 < wire.size() ? Optional.of(wire.get(last + 1)) : Optional.empty(),
              order,
              joins,
              true,
              List.of()));
    }

    /**
     * The kind's {@code author_headers} member from its authored requests: the block goes after the
     * latest header of the kind's list that preceded it in any of them, which must come before the
     * earliest header that followed it in any of them. Mixed-in placements (not {@code exact}) put
     * it after the latest of the browser's headers they were mixed with.
     */
    private Optional<Map<String, Object>> authorHeaders(
        String kind, List<String> entries, List<AuthorPlacement> placements) {
      if (placements == null || placements.isEmpty()) {
        return Optional.empty();
      }
      int low = -1;
      int high = entries.size();
      Set<String> orders = new LinkedHashSet<>();
      boolean exact = true;
      Set<String> joins = new TreeSet<>();
      for (AuthorPlacement p : placements) {
        // Every browser header of an authored request is in the kind's list (merged from it).
        if (p.before().isPresent()) {
          low = Math.max(low, indexByName(entries, p.before().get()));
        }
        for (String n : p.inside()) {
          low = Math.max(low, indexByName(entries, n));
        }
        if (p.exact()) {
          int next = p.after().map(n -> indexByName(entries, n)).orElse(entries.size());
          high = Math.min(high, next < 0 ? entries.size() : next);
        }
        exact &= p.exact();
        orders.add(p.order());
        joins.addAll(p.joins());
      }
      if (low >= high || orders.size() > 1) {
        notReproduced.add(
            kind
                + ": the script's headers were in different places or orders in "
                + placements
                + "; the profile puts them before the document's last header");
        return Optional.empty();
      }
      Map<String, Object> m = new LinkedHashMap<>();
      String anchor = low < 0 ? null : entryName(entries.get(low));
      m.put("after", anchor);
      m.put("order", orders.iterator().next());
      if (!joins.isEmpty()) {
        m.put("joins", List.copyOf(joins));
      }
      m.put("exact", exact);
      m.put("captured", placements.stream().map(AuthorPlacement::request).toList());
      learned.add(
          kind
              + ": headers a script sets go "
              + (anchor == null ? "first" : "after " + anchor)
              + ", "
              + (orders.contains("sorted") ? "sorted by name" : "in the order set")
              + (joins.isEmpty() ? "" : ", its " + String.join(", ", joins) + " with them")
              + (exact ? "" : " (approximately: the browser mixes them in with its own)"));
      if (exact && high - low > 1) {
        List<String> open = new ArrayList<>();
        for (int i = low + 1; i < high; i++) {
          open.add(entryName(entries.get(i)));
        }
        open.removeAll(joins);
        if (!open.isEmpty()) {
          notes.add(
              kind
                  + " author_headers: where the script's headers go relative to "
                  + open
                  + " was not seen (none of them was next to them); they are put before them.");
        }
      }
      return Optional.of(m);
    }

    /** The rules' notation: slot {@code name?}, a navigation value by name, or own value. */
    private static String entry(Header h, List<Header> navigation) {
      if (SLOTS.contains(h.name())) {
        return h.name() + "?";
      }
      for (Header n : navigation) {
        if (n.name().equals(h.name()) && n.value().equals(h.value())) {
          return h.name();
        }
      }
      return h.name() + ": " + h.value();
    }

    private static String entryName(String entry) {
      int colon = entry.indexOf(": ");
      String n = colon > 0 ? entry.substring(0, colon) : entry;
      return n.endsWith("?") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * Two captured lists of one kind as one: {@code a}'s order, each entry of {@code b} that {@code
     * a} lacks put after the entry that precedes it in {@code b}.
     */
    private static List<String> mergeOrder(List<String> a, List<String> b) {
      List<String> out = new ArrayList<>(a);
      for (int i = 0; i < b.size(); i++) {
        String e = b.get(i);
        if (indexByName(out, entryName(e)) >= 0) {
          continue;
        }
        int at = 0;
        for (int j = i - 1; j >= 0; j--) {
          int prev = indexByName(out, entryName(b.get(j)));
          if (prev >= 0) {
            at = prev + 1;
            break;
          }
        }
        out.add(at, e);
      }
      return out;
    }

    private static int indexByName(List<String> entries, String name) {
      for (int i = 0; i < entries.size(); i++) {
        if (entryName(entries.get(i)).equals(name)) {
          return i;
        }
      }
      return -1;
    }

    @SuppressWarnings("unchecked")
    private static List<String> knownOrder(Map<String, Object> requests) {
      Map<String, Object> kinds = (Map<String, Object>) requests.get("kinds");
      Map<String, Object> document = (Map<String, Object>) kinds.get("document");
      List<String> out = new ArrayList<>();
      if (document != null) {
        for (String e : (List<String>) document.get("headers")) {
          out.add(entryName(e));
        }
      }
      return out;
    }

    /** The last header of every request, with one value everywhere (Firefox's te). */
    private List<String> pinnedLast(List<Seen> seen) {
      Set<String> lasts = new LinkedHashSet<>();
      for (Seen s : seen) {
        List<Header> r = s.regular();
        if (!r.isEmpty()) {
          Header last = r.get(r.size() - 1);
          lasts.add(last.name() + "\n" + last.value());
        }
      }
      if (lasts.size() == 1) {
        return List.of(lasts.iterator().next().split("\n")[0]);
      }
      return List.of();
    }

    private Map<String, Object> compression(ConnectionRecord c) {
      Set<String> withoutIndexing = new TreeSet<>();
      Set<String> incremental = new TreeSet<>();
      Set<String> neverIndexed = new TreeSet<>();
      Set<String> staticNames = new LinkedHashSet<>();
      boolean dynamicNameAfterStatic = false;
      int tiesHuffman = 0;
      int tiesRaw = 0;
      for (RequestRecord r : c.requests()) {
        for (int i = 0; i < r.hpack().size() && i < r.headers().size(); i++) {
          String tag = r.hpack().get(i);
          Header h = r.headers().get(i);
          if (tag.startsWith("noidx")) {
            withoutIndexing.add(h.name());
          } else if (tag.startsWith("never")) {
            neverIndexed.add(h.name());
          } else if (tag.startsWith("inc")) {
            incremental.add(h.name());
          }
          if (tag.contains("name=s")) {
            staticNames.add(h.name());
          } else if (tag.contains("name=d") && staticNames.contains(h.name())) {
            dynamicNameAfterStatic = true;
          }
          if (tag.contains("val=") && huffmanTie(h.value())) {
            if (tag.contains("val=H")) {
              tiesHuffman++;
            } else {
              tiesRaw++;
            }
          }
        }
      }
      withoutIndexing.removeAll(incremental);
      neverIndexed.removeAll(incremental);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("without_indexing", List.copyOf(withoutIndexing));
      m.put("never_indexed", List.copyOf(neverIndexed));
      m.put("huffman", tiesHuffman > tiesRaw ? "when-not-longer" : "when-shorter");
      m.put(
          "name_reference",
          dynamicNameAfterStatic ? "highest-index" : "static-then-newest-dynamic");
      notes.add(
          "header_compression: read from the page connection's HPACK representations; huffman"
              + " decided on "
              + (tiesHuffman + tiesRaw)
              + " values whose Huffman and raw forms have the same length");
      return m;
    }

    /**
     * Whether {@code value}'s Huffman form is exactly as long as its raw form: the only values that
     * tell "Huffman when shorter" from "when not longer". The name is a static one (:authority), so
     * only the value is a string literal.
     */
    private static boolean huffmanTie(String value) {
      List<Header> one = List.of(new Header(":authority", value));
      HpackEncoder.IndexingPolicy plain = (n, v) -> Indexing.WITHOUT_INDEXING;
      byte[] notLonger = new HpackEncoder(0, plain, HuffmanPolicy.WHEN_NOT_LONGER).encode(one);
      byte[] shorter = new HpackEncoder(0, plain, HuffmanPolicy.WHEN_SHORTER).encode(one);
      return !Arrays.equals(notLonger, shorter);
    }

    private Map<String, Object> http1() {
      Map<String, Object> out = new LinkedHashMap<>();
      for (ConnectionRecord c : others) {
        for (RequestRecord r : c.requests()) {
          if (r.protocol() == HttpProtocol.HTTP_1_1
              && r.requestLine().contains(CaptureSite.IMAGE)) {
            out.put("image", pairs(r.headers()));
            learned.add("HTTP/1.1: image request head, " + r.headers().size() + " headers");
          }
        }
      }
      if (out.isEmpty()) {
        notReproduced.add("no HTTP/1.1 request was seen: the profile has no HTTP/1.1 heads");
      }
      return out;
    }

    private static List<List<String>> pairs(List<Header> headers) {
      return headers.stream().map(h -> List.of(h.name(), h.value())).toList();
    }
  }
}
