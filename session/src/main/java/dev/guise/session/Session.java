package dev.guise.session;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.http.StreamedResponse;
import dev.guise.session.SessionResponse.Redirect;
import dev.guise.session.internal.FetchRules;
import dev.guise.session.internal.RedirectTargets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A browser's visit to a site over the pool: a cookie jar, a current document, and each request
 * sent as the connection's browser profile sends that {@link RequestKind}, with the headers the
 * browser adds from who initiated it ({@code sec-fetch-site}, {@code referer} under {@code
 * strict-origin-when-cross-origin}, {@code origin}, {@code sec-fetch-user}) and the jar's cookies,
 * redirects followed as the browser follows them.
 *
 * <pre>{@code
 * Session session = Session.builder(client).build();  // its own browser cookie jar
 * session.send(SessionRequest.typed(URI.create("https://www.example.com/start")));  // 302 followed
 * session.send(SessionRequest.of(RequestKind.STYLE, URI.create("https://www.example.com/a.css")));
 * }</pre>
 *
 * <h2>Redirects</h2>
 *
 * 301, 302, 303, 307 and 308 with a {@code Location} are followed when {@link
 * Builder#followRedirects(boolean)} is on (the default): a 301 or 302 after a POST, and a 303 after
 * anything but GET or HEAD, turn into a GET without the body and its headers ({@code content-type},
 * {@code content-length}, ...); 307 and 308 keep method and body. A hop to another origin drops the
 * caller's {@code Authorization} and {@code Cookie}; the jar decides which of its cookies go. More
 * than 20 redirects fail with {@link FailureKind#TOO_MANY_REDIRECTS}; a hop that would send exactly
 * a request the chain already sent (same method, URL and cookies: nothing can change the answer)
 * fails with {@link FailureKind#REDIRECT_LOOP}, while a redirect to the same URL after a new cookie
 * (a bot check) is followed; a {@code Location} that does not parse or leaves https fails with
 * {@link FailureKind#INVALID_REDIRECT}. A redirect without {@code Location} is the answer, as in
 * browsers. After a hop that taints the request's origin, its {@code origin} header says {@code
 * null}, as Chromium's: for a {@code fetch}, a hop to another origin from a URL not of the
 * initiator's origin (Fetch's tainted origin flag); for a form POST navigation, any hop to another
 * origin. Each hop's {@code referer} is computed from the one before, so once cut to an origin it
 * stays cut.
 *
 * <h2>Connections and TLS sessions</h2>
 *
 * A session is one browser identity, as a browser profile is: its requests go over connections of
 * its own, opened for it and never used by another session or by requests sent without one, and the
 * TLS session tickets those connections receive are offered only by the session's later connections
 * (to the same host, and through the same exit). Two sessions over one pool thus share neither a
 * connection nor a ticket, either of which would link them for the server. The price: the pool's
 * warmed-up connections are the shared ones, so a session's first request to a host opens a
 * connection (resuming, for later ones, with the session's own tickets). Sessions built with the
 * same {@link Builder#identity identity} are one identity. {@link #close()} closes the session's
 * connections; a session of its own identity that is dropped unclosed has them closed once it is
 * garbage collected (a named identity's close when idle past the pool's idle timeout).
 *
 * <p>Thread-safe: many sessions may share one client and pool, each with its own jar; one session's
 * requests may run at once (sub-resources do), and the current document is the last navigation to
 * complete.
 */
public final class Session implements AutoCloseable {
  /** Browsers give up after 20 redirects (Fetch, "HTTP-redirect fetch"). */
  public static final int MAX_REDIRECTS = 20;

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** What describes a body; dropped with it when a redirect turns the request into a GET. */
  private static final Set<String> BODY_HEADERS =
      Set.of(
          "content-type",
          "content-length",
          "content-encoding",
          "content-language",
          "content-location");

  /**
   * What never follows a redirect to another origin (Fetch, "HTTP-redirect fetch", for {@code
   * Authorization}; a caller's {@code Cookie} and {@code Proxy-Authorization} are credentials meant
   * for the first origin as much).
   */
  private static final Set<String> ORIGIN_BOUND =
      Set.of("authorization", "cookie", "proxy-authorization");

  /**
   * The kinds sent in CORS mode (Fetch's destination to mode: fonts, {@code fetch()} and {@code
   * XMLHttpRequest}); both browsers' captures send them with {@code sec-fetch-mode: cors}.
   */
  private static final Set<RequestKind> CORS_MODE =
      EnumSet.of(RequestKind.FETCH, RequestKind.FONT, RequestKind.XHR);

  private final GuiseClient client;
  private final CookieJar jar;
  private final Sites sites;
  private final boolean followRedirects;
  private final int maxRedirects;
  private final Map<String, InetAddress> resolve;
  private final AtomicReference<URI> currentDocument = new AtomicReference<>();

  /** Numbers the sessions of the process, for identities nobody named. */
  private static final AtomicLong SESSIONS = new AtomicLong();

  private final String identity;

  /** Whether {@link #identity} is this session's alone (nobody named it), so it may be watched. */
  private final boolean ownIdentity;

  /**
   * The watch closing this session's identity if the session is dropped unclosed ({@link
   * DroppedSessions}); null for a named identity, and after {@link #close()} until the next send.
   */
  private final AtomicReference<DroppedSessions.Watch> watch = new AtomicReference<>();

  private Session(Builder b) {
    this.client = b.client;
    this.jar = b.jar != null ? b.jar : CookieJars.browser();
    this.sites = b.sites;
    this.followRedirects = b.followRedirects;
    this.maxRedirects = b.maxRedirects;
    this.resolve = Map.copyOf(b.resolve);
    // A process-wide number: unique across every pool the sessions of this process use.
    this.identity = b.identity != null ? b.identity : "session-" + SESSIONS.incrementAndGet();
    this.ownIdentity = b.identity == null;
    DroppedSessions.expunge();
    // The identity is this session's alone, so once the session is unreachable nobody can send as
    // it again: its connections are closed then, even if the caller never closed it, and the pool's
    // bookkeeping stays bounded by the live sessions. A named identity may be shared with other
    // sessions, so only close() ends it.
    watch();
  }

  /**
   * Watches this session's own identity unless already watched: when built, and again on the first
   * send after a {@link #close()}, which opens new connections to be closed if it is then dropped.
   */
  private void watch() {
    if (!ownIdentity || watch.get() != null) {
      return;
    }
    DroppedSessions.Watch w = DroppedSessions.watch(this, client, identity);
    if (!watch.compareAndSet(null, w)) {
      DroppedSessions.unwatch(w); // a racing send watched it first
    }
  }

  /** Whether the session is watched to have its identity closed if dropped unclosed; tests. */
  boolean watched() {
    DroppedSessions.Watch w = watch.get();
    return w != null && DroppedSessions.isWatched(w);
  }

  /** The identity the session's requests are sent as ({@link Builder#identity}). */
  public String identity() {
    return identity;
  }

  /**
   * Closes the session's connections (those in use once their requests end). A request sent
   * afterwards opens new ones. The cookie jar is the caller's to keep or drop.
   */
  @Override
  public void close() {
    // Unwatched first: a closed session is nobody's to close again, and its watch must not keep
    // anything (its client, the identity) in the static set until the session is collected.
    DroppedSessions.Watch w = watch.getAndSet(null);
    if (w != null) {
      DroppedSessions.unwatch(w);
    }
    client.closeIdentity(identity);
  }

  public static Builder builder(GuiseClient client) {
    return new Builder(client);
  }

  /** The session's cookies. */
  public CookieJar cookieJar() {
    return jar;
  }

  /**
   * The URL of the last navigation that loaded a document (not a redirect, 204 or 205): what
   * sub-resources and further navigations take as their initiator.
   */
  public Optional<URI> currentDocument() {
    return Optional.ofNullable(currentDocument.get());
  }

  /** Sets the current document, as if the session had navigated to it. */
  public void currentDocument(URI document) {
    currentDocument.set(Objects.requireNonNull(document, "document"));
  }

  /**
   * Sends {@code request} and, when on, follows its redirects.
   *
   * @throws ClassifiedIOException when a hop fails (the pool's classification, after its retries)
   *     or a redirect cannot be followed ({@code INVALID_REDIRECT}, {@code REDIRECT_LOOP}, {@code
   *     TOO_MANY_REDIRECTS})
   */
  public SessionResponse send(SessionRequest request) throws IOException {
    Answer<HttpResponse> answer =
        send(
            request,
            new Hop<>() {
              @Override
              public HttpResponse send(HttpRequest hop, InetAddress ip) throws IOException {
                return client.send(hop, ip);
              }

              @Override
              public int status(HttpResponse r) {
                return r.status();
              }

              @Override
              public List<Header> headers(HttpResponse r) {
                return r.headers();
              }

              @Override
              public void discard(HttpResponse r) {}
            });
    return new SessionResponse(answer.response(), answer.url(), answer.redirects());
  }

  /**
   * Sends {@code request} as {@link #send} does, but returns the last response with its body still
   * to be read ({@link GuiseClient#sendStreaming}): for large downloads. The bodies of the
   * redirects followed on the way are closed unread. The caller must close the result.
   *
   * @throws ClassifiedIOException as {@link #send}
   */
  public SessionStreamedResponse sendStreaming(SessionRequest request) throws IOException {
    Answer<StreamedResponse> answer =
        send(
            request,
            new Hop<>() {
              @Override
              public StreamedResponse send(HttpRequest hop, InetAddress ip) throws IOException {
                return client.sendStreaming(hop, ip);
              }

              @Override
              public int status(StreamedResponse r) {
                return r.status();
              }

              @Override
              public List<Header> headers(StreamedResponse r) {
                return r.headers();
              }

              @Override
              public void discard(StreamedResponse r) throws IOException {
                r.close();
              }
            });
    return new SessionStreamedResponse(answer.response(), answer.url(), answer.redirects());
  }

  /**
   * Sends {@code request} as {@link #send} does, on a virtual thread of its own. The future
   * completes with the response, or exceptionally with the {@link ClassifiedIOException} {@link
   * #send} would throw (unwrapped). Cancelling it interrupts the request wherever it is (a hop in
   * flight, or between redirects); each hop stays bounded by the pool's timeouts either way.
   */
  public CompletableFuture<SessionResponse> sendAsync(SessionRequest request) {
    Objects.requireNonNull(request, "request");
    return async(() -> send(request), response -> {});
  }

  /**
   * Sends {@code request} as {@link #sendStreaming} does, on a virtual thread of its own; the
   * future completes once the last response's head is here. Cancelling it interrupts the request,
   * and a response that arrives after the cancellation is closed at once (its stream reset on
   * HTTP/2), so nothing is left open. The caller must close a response it takes.
   */
  public CompletableFuture<SessionStreamedResponse> sendStreamingAsync(SessionRequest request) {
    Objects.requireNonNull(request, "request");
    return async(() -> sendStreaming(request), SessionStreamedResponse::close);
  }

  /** A blocking send, for {@link #async}. */
  private interface Call<T> {
    T call() throws IOException;
  }

  /** Releases a result nobody will take. */
  private interface Release<T> {
    void release(T result) throws IOException;
  }

  private static <T> CompletableFuture<T> async(Call<T> call, Release<T> release) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        Thread.ofVirtual()
            .name("guise-session-async")
            .unstarted(
                () -> {
                  try {
                    T answer = call.call();
                    // Cancelled while the request was in flight: nobody takes this one.
                    if (!result.complete(answer)) {
                      release.release(answer);
                    }
                  } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                  }
                });
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            thread.interrupt();
          }
        });
    thread.start();
    return result;
  }

  /** How one hop is sent and its response read, buffered or streamed. */
  private interface Hop<R> {
    R send(HttpRequest hop, InetAddress ip) throws IOException;

    int status(R response);

    List<Header> headers(R response);

    /** A redirect's response, which is not returned. */
    void discard(R response) throws IOException;
  }

  private record Answer<R>(R response, URI url, List<Redirect> redirects) {}

  private <R> Answer<R> send(SessionRequest request, Hop<R> hop) throws IOException {
    Optional<URI> initiator =
        request.initiator() == SessionRequest.Initiator.USER
            ? Optional.empty()
            : Optional.ofNullable(currentDocument.get());
    RequestKind kind = request.kind();
    boolean navigation = kind == RequestKind.DOCUMENT;
    String method = request.method();
    byte[] body = request.body().orElse(null);
    List<Header> callerHeaders = request.headers();
    URI url = request.uri();
    List<URI> chain = new ArrayList<>(List.of(url));
    List<Redirect> redirects = new ArrayList<>();
    // Each request the chain sent (method, URL, headers): the same one again gets the same answer.
    Set<List<Object>> redirected = new HashSet<>();
    boolean cors = CORS_MODE.contains(kind);
    // What each hop's referer is computed from: the referer the hop before sent, so a referrer cut
    // to its origin at one hop stays cut (Fetch's main fetch sets the request's referrer to the
    // result; Chromium 156 sends the origin alone on a hop back to the initiator's origin).
    Optional<URI> referrer = initiator;
    boolean originTainted = false;
    while (true) {
      CookieContext cookieContext = new CookieContext(url, initiator, navigation, method);
      List<Header> headers = new ArrayList<>();
      headers.add(new Header("sec-fetch-site", FetchRules.secFetchSite(initiator, chain, sites)));
      if (navigation && request.userActivated()) {
        headers.add(new Header("sec-fetch-user", "?1"));
      }
      Optional<String> referer = FetchRules.referer(referrer, url);
      referer.ifPresent(v -> headers.add(new Header("referer", v)));
      Optional<String> origin = FetchRules.originHeader(initiator, url, cors, method);
      if (origin.isPresent()) {
        headers.add(new Header("origin", originTainted ? FetchRules.TAINTED_ORIGIN : origin.get()));
      }
      jar.cookieHeader(cookieContext).ifPresent(v -> headers.add(new Header("cookie", v)));
      // The caller's header replaces the session's of the same name.
      Set<String> callerNames = new HashSet<>();
      for (Header h : callerHeaders) {
        callerNames.add(h.name().toLowerCase(Locale.ROOT));
      }
      headers.removeIf(h -> callerNames.contains(h.name()));
      headers.addAll(callerHeaders);

      List<Object> key = List.of(method, url, List.copyOf(headers));
      if (!redirected.add(key)) {
        throw failure(
            FailureKind.REDIRECT_LOOP,
            "redirect loop: " + method + " " + url + " again, with nothing changed");
      }
      // For a profile whose browser sends origin on every request of the kind (Chromium's fonts):
      // the connection's profile decides, so the value goes with the request.
      Optional<String> initiatorOrigin =
          originTainted
              ? initiator.map(i -> FetchRules.TAINTED_ORIGIN)
              : initiator.map(FetchRules::origin);
      R response =
          sendHop(
              hop,
              request,
              kind,
              url,
              method,
              body,
              headers,
              initiatorOrigin.filter(o -> !callerNames.contains("origin")),
              !redirects.isEmpty());
      int status = hop.status(response);
      List<Header> responseHeaders = hop.headers(response);
      List<String> setCookies = new ArrayList<>();
      for (Header h : responseHeaders) {
        if (h.is("set-cookie")) {
          setCookies.add(h.value());
        }
      }
      if (!setCookies.isEmpty()) {
        jar.store(cookieContext, setCookies);
      }
      Optional<String> location =
          responseHeaders.stream().filter(h -> h.is("location")).map(Header::value).findFirst();
      if (!followRedirects || !REDIRECTS.contains(status) || location.isEmpty()) {
        if (navigation
            && status >= 200
            && status != 204
            && status != 205
            && !REDIRECTS.contains(status)) {
          currentDocument.set(url);
        }
        return new Answer<>(response, url, redirects);
      }
      hop.discard(response);
      if (redirects.size() >= maxRedirects) {
        throw failure(
            FailureKind.TOO_MANY_REDIRECTS,
            "more than " + maxRedirects + " redirects, the last from " + url);
      }
      URI next = RedirectTargets.resolve(url, location.get());
      originTainted |= FetchRules.taintsOrigin(initiator, url, next, cors, origin.isPresent());
      referrer = referer.map(URI::create);
      boolean toGet =
          ((status == 301 || status == 302) && method.equals("POST"))
              || (status == 303 && !method.equals("GET") && !method.equals("HEAD"));
      List<Header> kept = new ArrayList<>();
      for (Header h : callerHeaders) {
        String lower = h.name().toLowerCase(Locale.ROOT);
        boolean bodyHeader = toGet && BODY_HEADERS.contains(lower);
        boolean originBound = ORIGIN_BOUND.contains(lower) && !FetchRules.sameOrigin(url, next);
        if (!bodyHeader && !originBound) {
          kept.add(h);
        }
      }
      callerHeaders = kept;
      if (toGet) {
        method = "GET";
        body = null;
      }
      redirects.add(new Redirect(url, status, next, method));
      url = next;
      chain.add(next);
    }
  }

  private <R> R sendHop(
      Hop<R> hop,
      SessionRequest request,
      RequestKind kind,
      URI url,
      String method,
      byte[] body,
      List<Header> headers,
      Optional<String> initiatorOrigin,
      boolean redirectHop)
      throws IOException {
    watch();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .method(method, body)
            .kind(kind)
            .redirectHop(redirectHop)
            .identity(identity);
    initiatorOrigin.ifPresent(b::initiatorOrigin);
    request.timeout().ifPresent(b::timeout);
    for (Header h : headers) {
      b.header(h.name(), h.value());
    }
    InetAddress ip = resolve.get(FetchRules.origin(url).substring("https://".length()));
    if (ip == null) {
      ip = resolve.get(url.getHost().toLowerCase(Locale.ROOT));
    }
    return hop.send(b.build(), ip);
  }

  private static ClassifiedIOException failure(FailureKind kind, String message) {
    return new ClassifiedIOException(kind, false, PoolAction.KEEP, message, null);
  }

  /** Builds a {@link Session}; not thread-safe. */
  public static final class Builder {
    private final GuiseClient client;
    private CookieJar jar;
    private Sites sites = Sites.publicSuffixList();
    private boolean followRedirects = true;
    private int maxRedirects = MAX_REDIRECTS;
    private final Map<String, InetAddress> resolve = new HashMap<>();
    private String identity;

    private Builder(GuiseClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The session's cookies; by default a new {@link CookieJars#browser()} jar of its own. Give a
     * jar to load saved cookies or to share them between sessions.
     */
    public Builder cookieJar(CookieJar jar) {
      this.jar = Objects.requireNonNull(jar, "jar");
      return this;
    }

    /** Which hosts are the same site; {@link Sites#publicSuffixList()} by default. */
    public Builder sites(Sites sites) {
      this.sites = Objects.requireNonNull(sites, "sites");
      return this;
    }

    /** Whether redirects are followed (on by default, as in browsers). */
    public Builder followRedirects(boolean follow) {
      this.followRedirects = follow;
      return this;
    }

    /** At most this many redirects per request, 0 to 20. */
    public Builder maxRedirects(int max) {
      if (max < 0 || max > MAX_REDIRECTS) {
        throw new IllegalArgumentException("maxRedirects must be 0.." + MAX_REDIRECTS + ": " + max);
      }
      this.maxRedirects = max;
      return this;
    }

    /**
     * Sends requests for {@code host} (or {@code host:port}) to {@code ip}, as curl's {@code
     * --resolve}; other hosts go to an IP the pool chooses.
     */
    public Builder resolve(String host, InetAddress ip) {
      resolve.put(host.toLowerCase(Locale.ROOT), Objects.requireNonNull(ip, "ip"));
      return this;
    }

    /**
     * The identity the session's requests are sent as; by default one of its own, so that no two
     * sessions share a connection or a TLS session ticket. Sessions given the same identity share
     * both, as the tabs of one browser profile do (to resume a saved session with its cookie jar,
     * say). Never blank.
     */
    public Builder identity(String identity) {
      if (Objects.requireNonNull(identity, "identity").isBlank()) {
        throw new IllegalArgumentException("an identity must not be blank");
      }
      this.identity = identity;
      return this;
    }

    public Session build() {
      return new Session(this);
    }
  }
}
