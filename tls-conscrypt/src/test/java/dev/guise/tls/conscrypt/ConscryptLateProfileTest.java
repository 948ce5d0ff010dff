package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ProfileFile;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A profile loaded after the Conscrypt engine was created and used (a profile file, here Chrome's
 * captured one under another name) is not followed: the engine's offers stay what they were, and a
 * connection asking for it is refused as an invalid request, with the reason, before any byte is
 * sent. The reason is what a pool's configuration error quotes ({@code refusal}).
 */
class ConscryptLateProfileTest {
  private static final String CAPTURED = "guise-capture/chrome-156-captured.json";
  private static final String LATE = "late-conscrypt-chrome";

  private static List<String> offered(ConscryptEngine engine) {
    return engine.offers().stream().map(FingerprintOffer::profile).toList();
  }

  @Test
  void aProfileLoadedAfterTheEngineWasCreatedIsRefusedWithItsReason() throws Exception {
    ConscryptEngine engine = new ConscryptEngine();
    List<String> before = offered(engine);
    assertEquals(List.of("conscrypt-default", "chrome-156"), before);
    assertTrue(engine.refusal(LATE).isEmpty(), "a profile nobody knows has no refusal");

    String text = ReferenceCaptures.text(CAPTURED);
    String renamed =
        text.replace("\"name\" : \"chrome-156-captured\"", "\"name\" : \"" + LATE + "\"");
    assertFalse(renamed.equals(text), "the file's name member was found");
    BrowserProfiles.register(ProfileFile.parse(renamed, "test " + LATE).profile(), "test " + LATE);
    assertEquals(LATE, BrowserProfiles.get(LATE).name(), "the catalogue has it");

    assertEquals(before, offered(engine), "the engine's offers do not follow the catalogue");
    String why = engine.refusal(LATE).orElseThrow();
    assertTrue(why.contains("approximates only the profile it was measured against"), why);
    assertTrue(why.contains("chrome-156") && why.contains(LATE), why);
    assertTrue(engine.refusal("chrome-156").isEmpty(), "an offered profile has no refusal");

    Socket socket = new Socket();
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                engine.connect(
                    socket,
                    new TlsConnectRequest(
                        new TlsEndpoint("www.late.test", InetAddress.getLoopbackAddress(), 1),
                        LATE,
                        List.of(),
                        TestCertificateAuthority.create("unused").trustPolicy(),
                        Duration.ofSeconds(1))));
    assertEquals(FailureKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("cannot send profile '" + LATE + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertTrue(socket.isClosed(), "the refused request's socket is closed");
  }
}
