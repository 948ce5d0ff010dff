package dev.guise.session;

import dev.guise.api.Header;
import dev.guise.fingerprint.RequestKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One request of a browser session: what it is for ({@link RequestKind}), what initiated it, and
 * the caller's method, body and headers. The session adds what the browser adds (sec-fetch-*,
 * referer, origin, cookies) and the profile the rest.
 *
 * <pre>{@code
 * session.send(SessionRequest.typed(URI.create("https://h/start")));      // the user typed it
 * session.send(SessionRequest.of(RequestKind.STYLE, URI.create("https://h/style.css")));
 * session.send(SessionRequest.builder(RequestKind.FETCH, URI.create("https://h/api/post"))
 *     .method("POST", "{\"a\":1}".getBytes(UTF_8))
 *     .header("content-type", "application/json")
 *     .build());
 * }</pre>
 *
 * <p>Immutable; the body is copied in and out.
 */
public final class SessionRequest {
  /** Who initiated a request. */
  public enum Initiator {
    /** The session's current document (its last navigation), if there is one. */
    CURRENT_DOCUMENT,
    /** Nobody: the user typed the URL or opened a bookmark ({@code sec-fetch-site: none}). */
    USER
  }

  private final RequestKind kind;
  private final URI uri;
  private final String method;
  private final byte[] body;
  private final List<Header> headers;
  private final Initiator initiator;
  private final Optional<Boolean> userActivated;
  private final Optional<Duration> timeout;

  private SessionRequest(Builder b) {
    this.kind = b.kind;
    this.uri = b.uri;
    this.method = b.method;
    this.body = b.body == null ? null : b.body.clone();
    this.headers = List.copyOf(b.headers);
    this.initiator = b.initiator;
    this.userActivated = Optional.ofNullable(b.userActivated);
    this.timeout = Optional.ofNullable(b.timeout);
  }

  /** A navigation the user started by typing {@code uri}: no initiator, user-activated. */
  public static SessionRequest typed(URI uri) {
    return builder(RequestKind.DOCUMENT, uri).initiator(Initiator.USER).build();
  }

  /** A GET of {@code kind} initiated by the current document. */
  public static SessionRequest of(RequestKind kind, URI uri) {
    return builder(kind, uri).build();
  }

  public static Builder builder(RequestKind kind, URI uri) {
    return new Builder(kind, uri);
  }

  public RequestKind kind() {
    return kind;
  }

  public URI uri() {
    return uri;
  }

  /** The method, upper case. */
  public String method() {
    return method;
  }

  /** The body, if any (a copy). */
  public Optional<byte[]> body() {
    return body == null ? Optional.empty() : Optional.of(body.clone());
  }

  /** The caller's headers, in the caller's order. */
  public List<Header> headers() {
    return headers;
  }

  public Initiator initiator() {
    return initiator;
  }

  /**
   * Whether a user gesture started the navigation ({@code sec-fetch-user: ?1}); by default, true
   * for a typed navigation and false for one the document started (a script's, as in the captures).
   * Only navigations send it.
   */
  public boolean userActivated() {
    return userActivated.orElse(initiator == Initiator.USER);
  }

  /** The deadline of each hop; the client's default when empty. */
  public Optional<Duration> timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return kind.key() + " " + method + " " + uri;
  }

  /** Builds a {@link SessionRequest}; not thread-safe. */
  public static final class Builder {
    private final RequestKind kind;
    private final URI uri;
    private String method = "GET";
    private byte[] body;
    private final List<Header> headers = new ArrayList<>();
    private Initiator initiator = Initiator.CURRENT_DOCUMENT;
    private Boolean userActivated;
    private Duration timeout;

    private Builder(RequestKind kind, URI uri) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.uri = Objects.requireNonNull(uri, "uri");
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("a session speaks https to a host: " + uri);
      }
    }

    /** The method and body ({@code null} for none). */
    public Builder method(String method, byte[] body) {
      String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
      if (body != null && (m.equals("GET") || m.equals("HEAD"))) {
        throw new IllegalArgumentException(m + " requests carry no body");
      }
      this.method = m;
      this.body = body == null ? null : body.clone();
      return this;
    }

    /**
     * Adds a header: one the browser sends for this kind is replaced in place, another goes where
     * the browser puts it (see {@code BrowserProfile.requestHeaders}).
     */
    public Builder header(String name, String value) {
      if (name.startsWith(":")) {
        throw new IllegalArgumentException("pseudo-headers are set by Guise: " + name);
      }
      headers.add(new Header(name, value));
      return this;
    }

    public Builder initiator(Initiator initiator) {
      this.initiator = Objects.requireNonNull(initiator, "initiator");
      return this;
    }

    /** See {@link SessionRequest#userActivated()}. */
    public Builder userActivated(boolean userActivated) {
      this.userActivated = userActivated;
      return this;
    }

    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public SessionRequest build() {
      return new SessionRequest(this);
    }
  }
}
