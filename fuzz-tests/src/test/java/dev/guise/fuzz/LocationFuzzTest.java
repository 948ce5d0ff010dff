package dev.guise.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.pool.http.HttpRequest;
import dev.guise.session.internal.RedirectTargets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A redirect's {@code Location} from a peer, resolved as the session resolves it: an https URL with
 * a host whose request target is printable ASCII without dot segments above the root, or an {@code
 * INVALID_REDIRECT}; never another exception.
 */
class LocationFuzzTest {

  private static final List<URI> FROM =
      List.of(
          URI.create("https://www.example.com/a/b/page?x=1"),
          URI.create("https://127.0.0.1:8443/"),
          URI.create("https://[::1]/deep/er/"));

  @FuzzTest
  void location(byte[] input) {
    // ISO-8859-1: one char per octet, as header field values reach the session.
    String location = new String(input, StandardCharsets.ISO_8859_1);
    for (URI from : FROM) {
      URI next;
      try {
        next = RedirectTargets.resolve(from, location);
      } catch (ClassifiedIOException e) {
        assertEquals(FailureKind.INVALID_REDIRECT, e.kind());
        assertFalse(e.failure().retryable());
        continue;
      }
      assertEquals("https", next.getScheme().toLowerCase(Locale.ROOT), next.toString());
      assertNotNull(next.getHost(), next.toString());
      String target = HttpRequest.newBuilder(next).build().pathAndQuery();
      assertTrue(target.startsWith("/"), target);
      assertFalse(target.startsWith("/../") || target.equals("/.."), target);
      for (int i = 0; i < target.length(); i++) {
        char c = target.charAt(i);
        assertTrue(c > ' ' && c < 0x7F, "not printable ASCII at " + i + ": " + target);
      }
      assertFalse(target.contains("#"), target);
    }
  }
}
