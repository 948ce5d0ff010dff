package dev.guise.fingerprint;

import dev.guise.api.Header;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The catalogue of browser profiles: those bundled in this module (built once, on first use, from
 * the reference captures below), those of every profile pack found with {@link
 * java.util.ServiceLoader} ({@link BrowserProfileSource}), and profile files loaded at run time
 * ({@link #load(Path)}, format in {@code docs/profiles.md}).
 *
 * <ul>
 *   <li>{@code chrome-156} (alias {@code chrome}): Chromium 156.0.8078.79 on Debian 12, capture
 *       {@code chromium1-conn03}: the first connection of a fresh launch, the one that carried the
 *       page (so it has the HTTP/2 side), with a mid-range ECH GREASE payload (176 bytes). The
 *       other Chromium captures differ from it only in what Chrome randomises (tested). The
 *       User-Agent is the desktop one: the capture's {@code HeadlessChrome/} token becomes {@code
 *       Chrome/}; {@code sec-ch-ua} (Chromium's brand list, no headless brand) already matches it.
 *   <li>{@code firefox-153} (alias {@code firefox}): Firefox ESR 153.7.0 on Debian 12, capture
 *       {@code firefox1-conn06}, the connection that carried the page; the second launch's capture
 *       differs only in the random values (tested). Its User-Agent is already the desktop one.
 * </ul>
 *
 * <p>Each profile's rules per {@link RequestKind} (sub-resources, fetches, redirect hops, the HPACK
 * habits) are in {@code <name>-requests.json}, derived from the session captures of Chromium
 * 156.0.8078.114 and Firefox ESR 153.8.0 (same fingerprints as the captures above).
 *
 * <p>Header positions beyond the captured GET navigation (content-type, content-length, origin,
 * referer, cookie, cache-control, conditional headers) come from the browsers' known request header
 * order, not from these captures.
 *
 * <p>Thread-safe; profiles are immutable and shared. A profile name or alias is unique across
 * sources: the first source to claim it keeps it (bundled first).
 */
public final class BrowserProfiles {
  /** The source name of the profiles bundled in this module. */
  public static final String BUNDLED = "bundled";

  private static final Logger LOG = System.getLogger(BrowserProfiles.class.getName());

  private BrowserProfiles() {}

  /** A profile and the source it came from. */
  private record Entry(BrowserProfile profile, String source) {}

  /**
   * One state of the catalogue, immutable: its entries, their profiles (what {@link #all()} hands
   * out, built once per state rather than per call) and the state's {@link #version()}.
   */
  private record Catalogue(long version, List<Entry> entries, List<BrowserProfile> profiles) {
    Catalogue(long version, List<Entry> entries) {
      this(version, List.copyOf(entries), entries.stream().map(Entry::profile).toList());
    }

    Catalogue plus(Entry e) {
      List<Entry> grown = new ArrayList<>(entries);
      grown.add(e);
      return new Catalogue(version + 1, grown);
    }
  }

  /**
   * The catalogue, built on first use: the bundled profiles, then every {@link
   * BrowserProfileSource} found, then those {@linkplain #register registered} at run time.
   */
  private static final class Holder {
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();

    /** Guards the replacement of {@link #current} (readers take the volatile read alone). */
    static final Object LOCK = new Object();

    /**
     * Replaced whole, under {@link #LOCK}, by each registration; read without a lock, so a reader
     * sees one state's entries, profiles and version together, never a half-added profile.
     */
    static volatile Catalogue current = new Catalogue(1, discover());

    private static List<Entry> discover() {
      List<Entry> out = new ArrayList<>();
      out.add(new Entry(chrome(), BUNDLED));
      out.add(new Entry(firefox(), BUNDLED));
      Iterator<BrowserProfileSource> it = ServiceLoader.load(BrowserProfileSource.class).iterator();
      while (true) {
        BrowserProfileSource source;
        try {
          if (!it.hasNext()) {
            break;
          }
          source = it.next();
        } catch (ServiceConfigurationError e) {
          // A broken pack must not take the bundled profiles (and every other pack) down with it.
          problem("a profile source could not be loaded: " + e.getMessage());
          continue;
        }
        List<BrowserProfile> profiles;
        try {
          profiles = List.copyOf(source.profiles());
        } catch (RuntimeException e) {
          problem("profile source " + source.name() + " failed: " + e.getMessage());
          continue;
        }
        for (BrowserProfile p : profiles) {
          Optional<String> clash = clash(out, p);
          if (clash.isPresent()) {
            problem(
                "profile "
                    + p.name()
                    + " of source "
                    + source.name()
                    + " left out: "
                    + clash.get());
          } else {
            out.add(new Entry(p, source.name()));
          }
        }
      }
      return out;
    }

    private static void problem(String text) {
      PROBLEMS.add(text);
      LOG.log(Level.WARNING, text);
    }
  }

  /** Why {@code p} cannot join {@code entries} (a name or alias already taken), or empty. */
  private static Optional<String> clash(List<Entry> entries, BrowserProfile p) {
    List<String> names = new ArrayList<>(p.aliases());
    names.add(0, p.name());
    for (Entry e : entries) {
      for (String n : names) {
        if (e.profile().answersTo(n)) {
          return Optional.of(
              "the name '" + n + "' is taken by " + e.profile().name() + " (" + e.source() + ")");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Every profile: the bundled ones (newest Chrome first), then the packs', then registered. The
   * list is immutable and the same instance until the catalogue changes, so this is cheap enough
   * for every handshake.
   */
  public static List<BrowserProfile> all() {
    return Holder.current.profiles();
  }

  /**
   * The catalogue's version: it changes exactly when a profile joins ({@link #register}, {@link
   * #load}); a caller that derives something from {@link #all()} keeps the version it read
   * <em>before</em> calling {@code all()} and rebuilds only when this differs. (Read in that order
   * a profile added in between is in the list and the kept version is older, so the next look
   * rebuilds once more: never a profile missed.)
   */
  public static long version() {
    return Holder.current.version();
  }

  /**
   * Where {@code profile} came from: {@value #BUNDLED}, a {@link BrowserProfileSource}'s name, or
   * what {@link #register} was given.
   *
   * @throws IllegalArgumentException if the profile is not in the catalogue
   */
  public static String sourceOf(BrowserProfile profile) {
    for (Entry e : Holder.current.entries()) {
      if (e.profile() == profile) {
        return e.source();
      }
    }
    throw new IllegalArgumentException("profile " + profile.name() + " is not in the catalogue");
  }

  /** What went wrong while the profile sources were read (a pack that failed, a name clash). */
  public static List<String> problems() {
    Holder.current.version(); // the sources are read on first use
    return List.copyOf(Holder.PROBLEMS);
  }

  /**
   * Adds {@code profile} to the catalogue for the rest of the process. The BouncyCastle engine
   * offers it from then on; a pool checks its profiles when created, so register before creating
   * the pool that uses it.
   *
   * @param source where it came from, shown by {@code guise profiles} (e.g. the file's path)
   * @throws IllegalArgumentException if its name or an alias is already taken
   */
  public static void register(BrowserProfile profile, String source) {
    synchronized (Holder.LOCK) {
      Catalogue c = Holder.current;
      Optional<String> clash = clash(c.entries(), profile);
      if (clash.isPresent()) {
        throw new IllegalArgumentException(
            "cannot add profile " + profile.name() + ": " + clash.get());
      }
      Holder.current = c.plus(new Entry(profile, source));
    }
  }

  /**
   * Reads the profile file at {@code path} and {@linkplain #register registers} its profile with
   * the path as its source; a file already registered from the same path is returned again.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not a valid profile file, or its name is taken
   */
  public static ProfileFile load(Path path) throws IOException {
    ProfileFile file = ProfileFile.read(path);
    String source = "file " + path.toAbsolutePath().normalize();
    synchronized (Holder.LOCK) {
      for (Entry e : Holder.current.entries()) {
        if (e.source().equals(source) && e.profile().name().equals(file.profile().name())) {
          return file;
        }
      }
      register(file.profile(), source);
    }
    return file;
  }

  /**
   * The profile called {@code name} or having it as an alias (ASCII case ignored), from any source.
   *
   * @throws IllegalArgumentException if there is none; the message lists the known names
   */
  public static BrowserProfile get(String name) {
    List<Entry> entries = Holder.current.entries();
    for (Entry e : entries) {
      if (e.profile().answersTo(name)) {
        return e.profile();
      }
    }
    List<String> known = new ArrayList<>();
    for (Entry e : entries) {
      BrowserProfile p = e.profile();
      known.add(
          p.name() + (p.aliases().isEmpty() ? "" : " (" + String.join(", ", p.aliases()) + ")"));
    }
    throw new IllegalArgumentException(
        "unknown browser profile '" + name + "'; known: " + String.join(", ", known));
  }

  private static BrowserProfile chrome() {
    CaptureLoader capture = CaptureLoader.load("chromium1-conn03");
    List<Header> headers = new ArrayList<>();
    for (Header h : capture.requestHeaders()) {
      headers.add(
          h.is("user-agent")
              ? new Header(h.name(), h.value().replace("HeadlessChrome/", "Chrome/"))
              : h);
    }
    BrowserProfile profile =
        new BrowserProfile(
            "chrome-156",
            List.of("chrome"),
            "Chromium 156.0.8078.79 (Debian 12), Linux desktop; capture chromium1-conn03",
            capture.hello(),
            // BoringSSL pads the ECH GREASE payload to a multiple of 32 between 128 and 224 bytes
            // and
            // adds the 16-byte AEAD tag: 144, 176, 208 or 240 (the captures show 176, 208, 240).
            new TlsRandomisation(true, true, List.of(144, 176, 208, 240), false),
            capture.http2(),
            headers,
            List.of(
                "content-length",
                "cache-control",
                "sec-ch-ua",
                "sec-ch-ua-mobile",
                "sec-ch-ua-platform",
                "origin",
                "content-type",
                "upgrade-insecure-requests",
                "user-agent",
                "accept",
                "sec-fetch-site",
                "sec-fetch-mode",
                "sec-fetch-user",
                "sec-fetch-dest",
                "referer",
                "accept-encoding",
                "accept-language",
                "cookie",
                "if-none-match",
                "if-modified-since",
                "priority"),
            Set.of(),
            RequestRules.load("chrome-156", headers));
    // Chromium 156.0.8078.114's resumed hello (session capture chromium1 conn06): same build line.
    return profile.withResumedHello(CaptureLoader.resumedHello("chromium1-resumed-conn06"));
  }

  private static BrowserProfile firefox() {
    CaptureLoader capture = CaptureLoader.load("firefox1-conn06");
    BrowserProfile profile =
        new BrowserProfile(
            "firefox-153",
            List.of("firefox"),
            "Firefox ESR 153.7.0 (Debian 12), Linux desktop; capture firefox1-conn06",
            capture.hello(),
            // NSS sends an ECH GREASE extension whose payload length was 239 in both launches; the
            // reference README notes that its AEAD id varies.
            new TlsRandomisation(false, false, List.of(239), true),
            capture.http2(),
            capture.requestHeaders(),
            List.of(
                "user-agent",
                "accept",
                "accept-language",
                "accept-encoding",
                "content-type",
                "content-length",
                "origin",
                "referer",
                "cookie",
                "upgrade-insecure-requests",
                "sec-fetch-dest",
                "sec-fetch-mode",
                "sec-fetch-site",
                "sec-fetch-user",
                "if-modified-since",
                "if-none-match",
                "priority",
                "te"),
            Set.of("te"),
            RequestRules.load("firefox-153", capture.requestHeaders()));
    // Firefox ESR 153.8.0's resumed hello (session capture firefox1 conn20).
    return profile.withResumedHello(CaptureLoader.resumedHello("firefox1-resumed-conn20"));
  }
}
