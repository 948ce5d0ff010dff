package dev.guise.pool.http;

import dev.guise.api.Header;
import dev.guise.fingerprint.RequestKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An HTTPS request as the caller states it. The connection's browser profile supplies the default
 * headers; {@link #headers()} are merged into them (a header given here replaces the default of the
 * same name in place; new ones go where the browser would put them, or last).
 *
 * <p>Immutable; the body is copied in and out, so a request can be retried and shared.
 */
public final class HttpRequest {
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

  private final String method;
  private final URI uri;
  private final List<Header> headers;
  private final byte[] body;
  private final Optional<Duration> timeout;
  private final boolean idempotent;
  private final Optional<RequestKind> kind;
  private final boolean redirectHop;
  private final Optional<String> initiatorOrigin;
  private final Optional<String> identity;

  private HttpRequest(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.headers = List.copyOf(b.headers);
    this.body = b.body == null ? null : b.body.clone();
    this.timeout = Optional.ofNullable(b.timeout);
    this.idempotent = b.idempotent != null ? b.idempotent : IDEMPOTENT.contains(method);
    this.kind = Optional.ofNullable(b.kind);
    this.redirectHop = b.redirectHop;
    this.initiatorOrigin = Optional.ofNullable(b.initiatorOrigin);
    this.identity = Optional.ofNullable(b.identity);
  }

  public static Builder newBuilder(URI uri) {
    return new Builder(uri);
  }

  public static HttpRequest get(String url) {
    return newBuilder(URI.create(url)).build();
  }

  /** The method, upper case. */
  public String method() {
    return method;
  }

  /** The absolute {@code https} URI. */
  public URI uri() {
    return uri;
  }

  /** The host of {@link #uri()}, for SNI, {@code :authority}/{@code Host} and verification. */
  public String host() {
    return uri.getHost();
  }

  /** The port of {@link #uri()}, 443 when absent. */
  public int port() {
    return uri.getPort() < 0 ? 443 : uri.getPort();
  }

  /** The request target: raw path (at least {@code /}) and query. */
  public String pathAndQuery() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /**
   * The caller's headers in the caller's order (merged into the profile's defaults on the wire).
   */
  public List<Header> headers() {
    return headers;
  }

  /** The body, if any (a copy). */
  public Optional<byte[]> body() {
    return body == null ? Optional.empty() : Optional.of(body.clone());
  }

  /** The body's length, 0 when there is none; no copy. */
  public int bodyLength() {
    return body == null ? 0 : body.length;
  }

  /** The deadline for the whole request, retries included; the client's default when empty. */
  public Optional<Duration> timeout() {
    return timeout;
  }

  /**
   * Whether sending this request twice is harmless (by method, unless the caller said otherwise).
   */
  public boolean isIdempotent() {
    return idempotent;
  }

  /**
   * What the request is for; the connection's profile sends that kind's headers, order and HEADERS
   * priority. Empty: a top-level navigation's defaults, as before kinds existed.
   */
  public Optional<RequestKind> kind() {
    return kind;
  }

  /** Whether the request follows a redirect (Chrome orders a navigation's headers differently). */
  public boolean redirectHop() {
    return redirectHop;
  }

  /**
   * The {@code origin} header value of the document that initiated the request ({@code null} after
   * a redirect tainted it), for the profiles whose browser sends {@code origin} on every request of
   * the kind (a profile's {@code sendsOriginAlways}).
   */
  public Optional<String> initiatorOrigin() {
    return initiatorOrigin;
  }

  /**
   * The identity the request is sent as (a session's), whose connections and TLS sessions are its
   * own; empty: the pool's shared connections. See {@link Builder#identity}.
   */
  public Optional<String> identity() {
    return identity;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }

  /** Builds a {@link HttpRequest}; not thread-safe. */
  public static final class Builder {
    private String method = "GET";
    private final URI uri;
    private final List<Header> headers = new ArrayList<>();
    private byte[] body;
    private Duration timeout;
    private Boolean idempotent;
    private RequestKind kind;
    private boolean redirectHop;
    private String initiatorOrigin;
    private String identity;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      if (!"https".equalsIgnoreCase(uri.getScheme())) {
        throw new IllegalArgumentException("Guise speaks https only: " + uri);
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException("the URI has no host: " + uri);
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException("user info in URIs is not supported: " + uri);
      }
      this.uri = uri;
    }

    public Builder method(String method, byte[] body) {
      String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
      if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
        throw new IllegalArgumentException("not an HTTP method: " + method);
      }
      if (body != null && (m.equals("GET") || m.equals("HEAD"))) {
        throw new IllegalArgumentException(m + " requests carry no body");
      }
      this.method = m;
      this.body = body == null ? null : body.clone();
      return this;
    }

    public Builder GET() {
      return method("GET", null);
    }

    public Builder HEAD() {
      return method("HEAD", null);
    }

    public Builder POST(byte[] body) {
      return method("POST", Objects.requireNonNull(body, "body"));
    }

    /** Adds a header (its name is kept as given; HTTP/2 sends it lower case). */
    public Builder header(String name, String value) {
      Header h = new Header(name, value);
      if (name.startsWith(":")) {
        throw new IllegalArgumentException("pseudo-headers are set by Guise: " + name);
      }
      headers.add(h);
      return this;
    }

    /** The deadline for the whole request, retries included. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Overrides the method's idempotence, for example for a POST the caller knows is safe to
     * repeat.
     */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * What the request is for: the profile sends this kind's headers, in its order, with this
     * builder's headers merged in (a header the kind sends is replaced in place; {@code referer},
     * {@code origin}, {@code cookie}, {@code sec-fetch-site} and the like go to the browser's
     * position). Sending a kind the connection's profile has no rules for fails with {@code
     * INVALID_REQUEST}.
     */
    public Builder kind(RequestKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** Marks the request as the next hop of a redirect. */
    public Builder redirectHop(boolean redirectHop) {
      this.redirectHop = redirectHop;
      return this;
    }

    /**
     * The {@code origin} value of the document that initiated the request (a session sets it): a
     * connection whose profile's browser sends {@code origin} on every request of the request's
     * {@link #kind kind}, same-origin GETs included (Chromium's fonts), sends this value unless the
     * request has an {@code origin} header of its own. Other profiles ignore it.
     */
    public Builder initiatorOrigin(String origin) {
      this.initiatorOrigin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * Sends the request as {@code identity}: over connections of that identity only, opened for it
     * and never leased to a request of another identity or of none, and with TLS sessions kept for
     * it alone (a ticket one identity received is never offered by another). Two browser profiles
     * share neither a connection nor a ticket: a server could link them by either. A session sets
     * its own; {@code HotConnectionPool.closeIdentity} closes the identity's connections. Without
     * one, the request uses the pool's shared (and warmed-up) connections.
     *
     * @throws IllegalArgumentException when {@code identity} is blank
     */
    public Builder identity(String identity) {
      if (Objects.requireNonNull(identity, "identity").isBlank()) {
        throw new IllegalArgumentException("an identity must not be blank");
      }
      this.identity = identity;
      return this;
    }

    public HttpRequest build() {
      return new HttpRequest(this);
    }
  }
}
