package dev.guise.flink.internal;

import dev.guise.fingerprint.RequestKind;
import dev.guise.flink.FetchRequest;
import dev.guise.pool.http.HttpRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks a {@link FetchRequest} and turns it into the pool's request and pinned IP. */
public final class Requests {
  // Only literals: InetAddress.getByName on a name would block the caller on DNS.
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private Requests() {}

  /** Why a request cannot be sent: the message of its {@code INVALID_REQUEST} failure. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** The pool's GET for {@code r}. */
  public static HttpRequest httpRequest(FetchRequest r) throws Invalid {
    if (r.url() == null) {
      throw new Invalid("no URL");
    }
    URI uri;
    try {
      uri = URI.create(r.url());
    } catch (IllegalArgumentException e) {
      throw new Invalid("not a URL");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new Invalid("not an absolute https URL");
    }
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
      if (r.kind() != null) {
        b.kind(RequestKind.of(r.kind()));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage());
    }
  }

  /** The pinned IP, or null when the pool chooses. */
  public static InetAddress pinnedIp(FetchRequest r) throws Invalid {
    String ip = r.pinnedIp();
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    if (!IPV4.matcher(ip).matches() && !IPV6.matcher(ip).matches()) {
      throw new Invalid("pinned IP is not an IP literal: " + ip);
    }
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new Invalid("pinned IP is not an IP literal: " + ip);
    }
  }
}
