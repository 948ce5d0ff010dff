package dev.guise.pool.internal.http2;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.RequestTemplate;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request's HTTP/2 header list carries octets only, checked before HPACK touches its dynamic
 * table: a caller's value with a wider char is refused with the header's name, Latin-1 goes.
 */
class Http2MessagesTest {
  private static final RequestTemplate CHROME =
      RequestTemplate.of(BrowserProfiles.get("chrome-156"));

  private static HttpRequest request(String name, String value) {
    return HttpRequest.newBuilder(URI.create("https://example.test/a?b=c"))
        .header(name, value)
        .build();
  }

  @Test
  void aCallersValueOutsideOctetsIsRefusedBeforeEncoding() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Http2Messages.requestHeaders(CHROME, request("x-price", "10 \u20ac"), null));
    assertTrue(e.getMessage().contains("x-price"), e.getMessage());
    List<Header> ok = Http2Messages.requestHeaders(CHROME, request("x-price", "10 \u00a3"), null);
    assertTrue(ok.contains(new Header("x-price", "10 \u00a3")));
  }
}
