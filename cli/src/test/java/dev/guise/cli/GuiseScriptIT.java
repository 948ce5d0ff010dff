package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code guise} script at the repository root, run as a process after {@code package} (the
 * build's jar and target/lib), with GUISE_NO_BUILD=1 so that it never starts a Maven build inside
 * this one. It proves the module-path launch: the JVM flags, the service binding of the engines.
 */
class GuiseScriptIT {
  private static Path script() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("guise")) && Files.isDirectory(d.resolve("cli"))) {
        return d.resolve("guise");
      }
    }
    throw new AssertionError("no guise script above " + Path.of("").toAbsolutePath());
  }

  private static Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("GUISE_NO_BUILD", "1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    File err = Files.createTempFile("guise-script", ".err").toFile();
    pb.redirectError(err);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "guise " + String.join(" ", args) + " ended");
    String stderr = Files.readString(err.toPath());
    err.delete();
    return new Run(p.exitValue(), out, stderr);
  }

  @Test
  void profilesOnTheModulePath() throws Exception {
    Run r = run("profiles");
    assertEquals(0, r.code(), r.toString());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.matches("bouncycastle +chrome-156 +chrome +bundled +EXACT .*")),
        r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("conscrypt ")), r.toString());
    assertTrue(!r.err().contains("WARNING"), "no JVM warnings (native access, opens): " + r);
  }

  @Test
  void demoOnTheModulePathMatchesChrome() throws Exception {
    Run r = run("demo", "--ips", "10", "--rounds", "1", "--json");
    assertEquals(0, r.code(), r.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> fp = (Map<String, Object>) JSON.std.mapFrom(r.out()).get("fingerprint");
    assertEquals(Boolean.TRUE, fp.get("match"), r.toString());
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    Run r = run("demo", "--frobnicate");
    assertEquals(2, r.code(), r.toString());
    assertEquals(
        "error: unknown option '--frobnicate' for 'guise demo'; see 'guise demo --help'\n",
        r.err());
  }
}
