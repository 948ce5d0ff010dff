package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre_shared_key offer of the browsers' captured resumed hellos, decoded: every byte of the
 * extension is accounted for by the identities and binders read, and a hello whose offer is cut
 * short is a clear error, not a partial list.
 */
class PskIdentitiesTest {
  private static List<ClientHello> resumedCaptures() {
    List<ClientHello> out = new ArrayList<>();
    for (BrowserProfile p :
        List.of(BrowserProfiles.get("chrome"), BrowserProfiles.get("firefox"))) {
      out.add(p.resumedReferenceHello().orElseThrow(() -> new AssertionError(p.name())));
    }
    return out;
  }

  @Test
  void theCapturedResumedHellosOfferOneTicketWithItsBinder() {
    for (ClientHello hello : resumedCaptures()) {
      List<PskIdentity> ids = hello.pskIdentities();
      List<Integer> binders = hello.pskBinderLengths();
      assertFalse(ids.isEmpty(), "a resumed hello offers a ticket");
      assertEquals(ids.size(), binders.size(), "one binder per identity");
      // The decoded parts add up to the extension, byte for byte (RFC 8446 4.2.11 layout).
      int length = 2 + 2;
      for (PskIdentity id : ids) {
        length += 2 + id.ticketLength() + 4;
        assertTrue(id.ticketLength() > 0, "a ticket has bytes");
      }
      for (int b : binders) {
        length += 1 + b;
      }
      assertEquals(hello.extension(ClientHello.EXT_PRE_SHARED_KEY).orElseThrow().length(), length);
      assertFalse(ids.toString().contains(ids.get(0).ticketHex()), "no ticket in toString");
    }
  }

  @Test
  void aFullHandshakesHelloOffersNone() {
    ClientHello full = BrowserProfiles.get("chrome").referenceHello();
    assertTrue(full.pskIdentities().isEmpty());
    assertTrue(full.pskBinderLengths().isEmpty());
  }

  @Test
  void anOfferCutShortIsMalformed() {
    ClientHello hello = resumedCaptures().get(0);
    byte[] data = hello.extension(ClientHello.EXT_PRE_SHARED_KEY).orElseThrow().data();
    List<TlsExtension> extensions = new ArrayList<>(hello.extensions());
    extensions.set(
        extensions.size() - 1,
        new TlsExtension(ClientHello.EXT_PRE_SHARED_KEY, Arrays.copyOf(data, data.length - 1)));
    // withExtensions re-parses what it builds: the cut offer fails there, named as malformed.
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> hello.withExtensions(extensions));
    assertTrue(e.getCause() instanceof MalformedClientHelloException, "" + e.getCause());
  }
}
