package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.testing.ReferenceCaptures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The profile files {@code guise capture} wrote from real Chromium and Firefox (kept in
 * testing-support's {@code guise-capture/}) read back into profiles that resume as their browser
 * did, and a broken file is refused with the member named.
 */
class ProfileFileTest {

  private static String text(String name) {
    return ReferenceCaptures.text("guise-capture/" + name + ".json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156-captured", "firefox-153-captured"})
  void aCapturedFileGivesAProfileThatResumesWithItsCapturedHello(String name) {
    ProfileFile file = ProfileFile.parse(text(name), name);
    BrowserProfile profile = file.profile();

    assertEquals(name, profile.name());
    assertTrue(file.resumedHello().isPresent(), "the capture has the resumed hello");
    assertEquals(
        file.resumedHello().get().toBytes().length,
        profile.resumedReferenceHello().orElseThrow().toBytes().length,
        "the profile resumes with the file's resumed hello");
    assertEquals(
        Ja4.of(file.resumedHello().get()).toString(),
        Ja4.of(profile.resumedReferenceHello().get()).toString());
    assertTrue(profile.differencesFrom(profile.referenceHello()).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"version\" : 1", "\"client_hello\""})
  void aBrokenFileNamesWhatIsWrong(String member) {
    String good = text("chrome-156-captured");
    String broken =
        member.startsWith("\"version\"")
            ? good.replace(member, "\"version\" : 99")
            : good.replace(member, "\"client_hello_missing\"");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProfileFile.parse(broken, "x.json"));
    assertTrue(e.getMessage().startsWith("x.json"), e.getMessage());
    assertTrue(
        e.getMessage().contains(member.startsWith("\"version\"") ? "version" : "client_hello"),
        e.getMessage());
  }
}
