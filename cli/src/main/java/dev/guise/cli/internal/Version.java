package dev.guise.cli.internal;

import dev.guise.api.spi.TlsEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code guise --version} prints: Guise's version, the JVM it runs on, and every TLS engine
 * {@link java.util.ServiceLoader} finds, with its module's version and whether it is usable here.
 */
final class Version {
  private static final String RESOURCE = "version.properties";

  private Version() {}

  /** The version the build wrote into the CLI's resources, e.g. {@code 0.1.0}. */
  static String guise() {
    Properties p = new Properties();
    // A resource of this module's own package: readable on both paths without opening anything.
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the guise-cli jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  /** The whole report, one fact a line. */
  static String report() {
    StringBuilder sb = new StringBuilder();
    sb.append("guise ").append(guise()).append('\n');
    sb.append("java ")
        .append(System.getProperty("java.runtime.version"))
        .append(" (")
        .append(System.getProperty("java.vendor"))
        .append("), ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append(", ")
        .append(Version.class.getModule().isNamed() ? "module path" : "class path")
        .append('\n');
    sb.append("engines found:\n");
    for (TlsEngine engine : Engines.found()) {
      Optional<String> why = engine.unavailableReason();
      sb.append(
          String.format(
              "  %-13s %-42s %s%n",
              engine.name(),
              origin(engine),
              why.map(w -> "unavailable: " + Cli.oneLine(w)).orElse("usable")));
    }
    return sb.toString();
  }

  /** The engine's module and its version, or its jar's name on the class path. */
  private static String origin(TlsEngine engine) {
    Module module = engine.getClass().getModule();
    if (!module.isNamed()) {
      return "(class path)";
    }
    Optional<String> version =
        Optional.ofNullable(module.getDescriptor()).flatMap(ModuleDescriptor::rawVersion);
    return module.getName() + version.map(v -> " " + v).orElse("");
  }
}
