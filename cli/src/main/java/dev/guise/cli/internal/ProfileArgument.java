package dev.guise.cli.internal;

import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ProfileFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@code --profile} value: a profile name, or the path of a profile file ({@code guise capture}
 * writes them), which is loaded into the catalogue before any engine reads it.
 */
final class ProfileArgument {
  private ProfileArgument() {}

  /** Whether {@code value} names a file rather than a profile: a path or a {@code .json} name. */
  static boolean isFile(String value) {
    return value.endsWith(".json") || value.contains("/") || value.contains("\\");
  }

  /**
   * The profile name {@code value} stands for: itself, or the name of the profile in the file it
   * names, which is loaded.
   *
   * @throws CliException a usage error for a missing or invalid file
   */
  static Optional<String> resolve(Optional<String> value, ParsedArgs args) {
    if (value.isEmpty() || !isFile(value.get())) {
      return value;
    }
    Path path = Path.of(value.get());
    if (!Files.isRegularFile(path)) {
      throw args.usageError("--profile " + value.get() + ": no such file");
    }
    try {
      ProfileFile file = BrowserProfiles.load(path);
      return Optional.of(file.profile().name());
    } catch (IllegalArgumentException e) {
      throw args.usageError("--profile " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED, "cannot read --profile " + value.get() + ": " + e.getMessage(), e);
    }
  }
}
