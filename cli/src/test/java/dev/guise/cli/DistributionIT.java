package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distribution {@code mvn package} leaves in {@code target/guise-<version>/}, run as a user
 * would: {@code bin/guise} as a process whose working directory is a fresh directory outside the
 * repository, with an environment that names nothing of the build (no Maven, no repository path),
 * the JDK found through JAVA_HOME or through PATH.
 */
class DistributionIT {
  private static final String VERSION = System.getProperty("guise.version");
  private static Path elsewhere;

  private static Path distribution() {
    Path dir = Path.of("target", "guise-" + VERSION).toAbsolutePath();
    assertTrue(Files.isExecutable(dir.resolve("bin/guise")), "no executable bin/guise in " + dir);
    return dir;
  }

  @BeforeAll
  static void outsideTheRepository() throws Exception {
    elsewhere = Files.createTempDirectory("guise-distribution");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (Stream<Path> files = Files.walk(elsewhere)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Runs {@code command} in {@link #elsewhere} with only the environment given. */
  private static Run run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(elsewhere.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    File err = Files.createTempFile("guise-distribution", ".err").toFile();
    pb.redirectError(err);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String stderr = Files.readString(err.toPath());
    Files.delete(err.toPath());
    assertTrue(ended, String.join(" ", command) + " ended within 120 s; " + stderr);
    return new Run(p.exitValue(), out, stderr);
  }

  private static Map<String, String> withJavaHome() {
    // PATH without any JDK of ours: /usr/bin's java may be older than 21 and must not be picked.
    return Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", "/usr/bin:/bin");
  }

  @Test
  void versionThroughASymbolicLinkNamesTheVersionAndTheEngines() throws Exception {
    Path link =
        Files.createSymbolicLink(elsewhere.resolve("guise"), distribution().resolve("bin/guise"));
    Run r = run(withJavaHome(), link.toString(), "--version");
    assertEquals(0, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals("guise " + VERSION, lines.get(0), r.toString());
    assertTrue(lines.get(1).endsWith(", module path"), r.toString());
    for (String engine : List.of("bouncycastle", "conscrypt", "jdk")) {
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.matches(
                          "  " + engine + " +dev\\.guise\\.tls\\.\\w+ " + VERSION + " +usable")),
          engine + " found and usable: " + r);
    }
    assertTrue(!r.err().contains("WARNING"), "no JVM warnings (native access, opens): " + r);
  }

  @Test
  void demoWithJavaFromPath() throws Exception {
    Path bin = Files.createDirectories(elsewhere.resolve("jdk-bin"));
    Files.createSymbolicLink(
        bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    List<String> command = new ArrayList<>();
    command.add(distribution().resolve("bin/guise").toString());
    command.addAll(List.of("demo", "--ips", "8", "--rounds", "1", "--json"));
    Run r = run(Map.of("PATH", bin + ":/usr/bin:/bin"), command.toArray(String[]::new));
    assertEquals(0, r.code(), r.toString());
    Map<String, Object> report = JSON.std.mapFrom(r.out());
    assertEquals(8, ((Number) report.get("requests")).intValue(), r.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> fp = (Map<String, Object>) report.get("fingerprint");
    assertEquals(Boolean.TRUE, fp.get("match"), r.toString());
  }

  @Test
  void anOlderJavaIsAClearError() throws Exception {
    // A java that says it is 17, first on PATH, and no JAVA_HOME.
    Path bin = Files.createDirectories(elsewhere.resolve("old-java"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
    java.toFile().setExecutable(true);
    Run r = run(Map.of("PATH", bin + ":/usr/bin:/bin"), distribution() + "/bin/guise", "demo");
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        "guise: needs Java 21 or newer: set JAVA_HOME to one, or put its java on PATH\n", r.err());
  }
}
