package com.example.guise.profilepack;

import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfileSource;
import dev.guise.fingerprint.ProfileFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pack: the profile files among its own resources, read with {@link ProfileFile#parse}. A
 * resource inside a jar cannot be listed portably on both paths, hence the list of names.
 */
public final class ExamplePack implements BrowserProfileSource {
  private static final List<String> FILES = List.of("example-chromium-156.json");

  @Override
  public String name() {
    return "example-pack";
  }

  @Override
  public List<BrowserProfile> profiles() {
    List<BrowserProfile> out = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in = ExamplePack.class.getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + file);
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        out.add(ProfileFile.parse(text, "example-pack " + file).profile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
