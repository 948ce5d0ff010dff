package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged application as a user would, with {@code java} and the jars Maven resolved
 * (target/lib): on the module path with the flag Guise's README names for BouncyCastle, and on the
 * class path with no flag at all.
 */
class ConsumerIT {
  private static final Path APP = Path.of("target", "guise-consumer.jar");
  private static final Path LIB = Path.of("target", "lib");

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String run(List<String> command) throws Exception {
    File log = Files.createTempFile("consumer", ".log").toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    Files.delete(log.toPath());
    // Into the build's log, to show what a user would see.
    System.out.print(out);
    assertTrue(ended, "ended within 120 s: " + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    return out;
  }

  @Test
  void onTheModulePathWithTheReadmesFlag() throws Exception {
    String out =
        run(
            List.of(
                java(),
                "--add-opens",
                "org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle",
                "--module-path",
                APP + File.pathSeparator + LIB,
                "--module",
                "com.example.consumer/com.example.consumer.Main"));
    assertTrue(out.contains("consumer: module path, status 200 over HTTP_2"), out);
    assertTrue(out.contains("(Chrome's)"), out);
    assertTrue(!out.contains("WARNING"), "no JVM warning: " + out);
  }

  @Test
  void onTheClassPathWithNoFlag() throws Exception {
    List<String> classPath = new ArrayList<>(List.of(APP.toString()));
    try (var jars = Files.list(LIB)) {
      jars.map(Path::toString).sorted().forEach(classPath::add);
    }
    String out =
        run(
            List.of(
                java(),
                "-cp",
                String.join(File.pathSeparator, classPath),
                "com.example.consumer.Main"));
    assertTrue(out.contains("consumer: class path, status 200 over HTTP_2"), out);
    assertTrue(out.contains("(Chrome's)"), out);
  }
}
