package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.ProfileFile;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine follows the shared profile catalogue: a profile registered (or a file loaded) after
 * the engine's first use is offered and handshakes against a real server (the JDK's), and a profile
 * the engine cannot send is left out, naming what it cannot produce, without taking the others
 * down.
 */
@Timeout(60)
class CatalogueProfilesTest {
  private static final String CAPTURED = "guise-capture/chrome-156-captured.json";
  private static final String CHROMIUM_HELLO = "browsers/chromium1-conn03.bin";
  private static final Pattern HELLO_HEX =
      Pattern.compile("(\"client_hello\"\\s*:\\s*\\{\\s*\"hex\"\\s*:\\s*\")([0-9a-f]+)\"");

  /** The captured Chrome profile file, renamed (names are unique across the catalogue). */
  private static String renamed(String name) {
    String text = ReferenceCaptures.text(CAPTURED);
    String renamed =
        text.replace("\"name\" : \"chrome-156-captured\"", "\"name\" : \"" + name + "\"");
    assertFalse(renamed.equals(text), "the file's name member was found");
    return renamed;
  }

  private static List<String> offered(BcConnector engine) {
    return engine.offers().stream().map(FingerprintOffer::profile).toList();
  }

  @Test
  void aProfileRegisteredAfterFirstUseIsOfferedAndHandshakes() throws Exception {
    BcConnector engine = BcConnector.builtIn();
    assertTrue(offered(engine).contains("chrome-156"), "first use: " + offered(engine));
    assertFalse(offered(engine).contains("late-chrome"));

    ProfileFile file = ProfileFile.parse(renamed("late-chrome"), "test late-chrome");
    BrowserProfiles.register(file.profile(), "test late-chrome");

    assertTrue(offered(engine).contains("late-chrome"), "after register: " + offered(engine));
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Catalogue Test Root");
    IssuedCertificate certificate = ca.issue("www.catalogue.test");
    try (JdkTlsServer server = JdkTlsServer.builder(certificate.serverSslContext()).start();
        TlsConnection c =
            engine.connect(
                socket(server.port()),
                new TlsConnectRequest(
                    new TlsEndpoint(
                        "www.catalogue.test", InetAddress.getLoopbackAddress(), server.port()),
                    "late-chrome",
                    List.of("http/1.1"),
                    ca.trustPolicy(),
                    Duration.ofSeconds(10)))) {
      assertEquals("late-chrome", c.negotiated().profile());
      assertEquals("TLSv1.3", c.negotiated().protocol());
    }
  }

  /**
   * The engine looks at the catalogue on every handshake: an unchanged catalogue hands out the same
   * lists (nothing rebuilt, not even the list of profiles), and a file loaded late is still seen.
   */
  @Test
  void anUnchangedCatalogueIsNotRebuiltAndALateFileIsPickedUp(@TempDir Path dir) throws Exception {
    CatalogueHellos catalogue = new CatalogueHellos(BcConnector.crypto());
    BcConnector captured =
        BcConnector.builtIn()
            .withCapture("captured-" + dir.getFileName(), ReferenceCaptures.bytes(CHROMIUM_HELLO));
    long version = BrowserProfiles.version();
    List<NamedHello> first = catalogue.hellos();
    List<FingerprintOffer> capturedFirst = captured.offers();
    assertSame(BrowserProfiles.all(), BrowserProfiles.all(), "one list per catalogue state");
    assertSame(first, catalogue.hellos(), "an unchanged catalogue is not rebuilt");
    assertEquals(version, BrowserProfiles.version());
    assertEquals(capturedFirst, captured.offers());

    Path file = dir.resolve("late-file-chrome.json");
    Files.writeString(file, renamed("late-file-chrome"));
    BrowserProfiles.load(file);
    long loaded = BrowserProfiles.version();
    assertNotEquals(version, loaded, "loading a profile changes the version");
    List<NamedHello> second = catalogue.hellos();
    assertNotSame(first, second);
    assertTrue(
        second.stream().anyMatch(h -> h.answersTo("late-file-chrome")),
        "the late file is offered: " + second.stream().map(h -> h.name).toList());
    assertTrue(offered(captured).contains("late-file-chrome"), "" + offered(captured));
    assertEquals(
        offered(captured).getLast(),
        "captured-" + dir.getFileName(),
        "an engine's own capture still comes after the catalogue's profiles");
    for (NamedHello h : first) {
      assertSame(h, second.get(first.indexOf(h)), "a profile's hello is built once: " + h.name);
    }

    // The same file again is the same profile: the catalogue, and so the engine, stay as they are.
    BrowserProfiles.load(file);
    assertEquals(loaded, BrowserProfiles.version());
    assertSame(second, catalogue.hellos());
    // A refused registration (its name is taken) changes nothing either.
    assertThrows(
        IllegalArgumentException.class,
        () -> BrowserProfiles.register(BrowserProfiles.get("late-file-chrome"), "again"));
    assertEquals(loaded, BrowserProfiles.version());
    assertSame(second, catalogue.hellos());
  }

  @Test
  void aProfileTheEngineCannotSendIsRefusedByNameAndTheOthersStay() throws Exception {
    String text = renamed("odd-chrome");
    Matcher m = HELLO_HEX.matcher(text);
    assertTrue(m.find(), "the file's client_hello hex");
    ClientHello hello = ClientHello.parseHex(m.group(2));
    List<TlsExtension> extensions = new ArrayList<>(hello.extensions());
    extensions.add(1, new TlsExtension(0x7777, new byte[0]));
    String odd =
        text.substring(0, m.start(2))
            + HexFormat.of().formatHex(hello.withExtensions(extensions).toRecordBytes())
            + text.substring(m.end(2));
    BrowserProfiles.register(ProfileFile.parse(odd, "test odd").profile(), "test odd");

    BcConnector engine = BcConnector.builtIn();
    List<String> offered = offered(engine);
    assertFalse(offered.contains("odd-chrome"), "" + offered);
    assertTrue(offered.contains("chrome-156") && offered.contains("firefox-153"), "" + offered);
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                engine.connect(
                    new Socket(),
                    new TlsConnectRequest(
                        new TlsEndpoint("www.catalogue.test", InetAddress.getLoopbackAddress(), 1),
                        "odd-chrome",
                        List.of(),
                        TestCertificateAuthority.create("unused").trustPolicy(),
                        Duration.ofSeconds(1))));
    assertEquals(FailureKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("0x7777"), e.getMessage());
    // What a pool's configuration error quotes: the same reason, before any connection.
    String why = engine.refusal("odd-chrome").orElseThrow();
    assertTrue(why.contains("0x7777"), why);
    assertTrue(engine.refusal("chrome-156").isEmpty(), "an offered profile has no refusal");
  }

  private static Socket socket(int port) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    return s;
  }
}
