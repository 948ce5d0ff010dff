package dev.guise.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.ProfileFile;
import java.nio.charset.StandardCharsets;

/**
 * The profile file reader: a file a user captured or a pack shipped is read into a profile or
 * refused with an {@link IllegalArgumentException} that names the file, nothing else (no other
 * exception type, no hang, no profile that cannot describe itself).
 */
class ProfileFileFuzzTest {

  @FuzzTest
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ProfileFile file;
    try {
      file = ProfileFile.parse(text, "fuzz.json");
    } catch (IllegalArgumentException expected) {
      assertTrue(
          expected.getMessage() != null && expected.getMessage().contains("fuzz.json"),
          "a refusal names the file: " + expected.getMessage());
      return;
    }
    BrowserProfile profile = file.profile();
    // A profile that loads must answer what the engines and the session ask of it.
    profile.expectedJa4();
    profile.expectedAkamai();
    profile.differencesFrom(profile.referenceHello());
    profile.resumedReferenceHello();
    assertTrue(!profile.name().isEmpty(), "a loaded profile has a name");
  }
}
