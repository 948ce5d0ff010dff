package dev.guise.fingerprint;

import java.util.List;

/**
 * A pack of browser profiles: a plugin found with {@link java.util.ServiceLoader} on the module
 * path ({@code provides dev.guise.fingerprint.BrowserProfileSource with ...}) and on the class path
 * ({@code META-INF/services/dev.guise.fingerprint.BrowserProfileSource}). {@link
 * dev.guise.fingerprint.BrowserProfiles} asks every source once, on first use, and shows their
 * profiles beside the bundled ones. A pack usually ships profile files (see {@code
 * docs/profiles.md}) as resources and reads them with {@link
 * dev.guise.fingerprint.ProfileFile#parse}.
 *
 * <p>Implementations need a public no-argument constructor (or a public static {@code provider()}
 * method on the module path) and must be thread-safe.
 */
public interface BrowserProfileSource {
  /** The pack's name, shown by {@code guise profiles} as where a profile came from. */
  String name();

  /**
   * The pack's profiles. Called once per process; a profile whose name or alias is already taken by
   * an earlier source is left out (and reported by {@link
   * dev.guise.fingerprint.BrowserProfiles#problems()}).
   *
   * @throws RuntimeException if the pack cannot be read; reported, the other sources still load
   */
  List<BrowserProfile> profiles();
}
