package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the module path the engine needs {@code --add-opens
 * org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle}. Without it, the engine
 * must say so, naming the flag, through {@code unavailableReason()} and the {@code Providers}
 * look-up, instead of failing in the middle of a handshake. Run in child JVMs on this test run's
 * module path, once without the flag and once with it (the control).
 */
@Timeout(120)
class AddOpensCheckTest {
  private static final String FLAG =
      "--add-opens org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle";

  private static final String PROBE =
      """
      import dev.guise.api.spi.Providers;
      import dev.guise.tls.bouncycastle.BouncyCastleEngine;

      public class Probe {
        public static void main(String[] args) {
          System.out.println("module=" + BouncyCastleEngine.class.getModule().getName());
          String reason = new BouncyCastleEngine().unavailableReason().orElse("none");
          System.out.println("reason=" + reason);
          try {
            Providers.tlsEngine("bouncycastle");
            System.out.println("providers=found");
          } catch (RuntimeException e) {
            System.out.println("providers=" + e.getMessage());
          }
        }
      }
      """;

  private static String runProbe(Path dir, boolean withFlag) throws Exception {
    String modulePath = System.getProperty("jdk.module.path");
    assertNotNull(modulePath, "this test runs in surefire's module-path run");
    Path probe = dir.resolve("Probe.java");
    Files.writeString(probe, PROBE, StandardCharsets.UTF_8);
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--module-path", modulePath));
    if (withFlag) {
      command.addAll(List.of(FLAG.split(" ")));
    }
    command.addAll(List.of("--add-modules", "dev.guise.tls.bouncycastle", probe.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the probe JVM did not finish within 60 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), output);
      return output;
    } catch (IOException e) {
      throw new AssertionError(e);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void withoutTheFlagTheEngineNamesIt(@TempDir Path dir) throws Exception {
    String output = runProbe(dir, false);
    assertTrue(output.contains("module=dev.guise.tls.bouncycastle"), output);
    assertTrue(output.contains("reason=") && output.contains(FLAG), output);
    assertTrue(output.contains("providers=") && !output.contains("providers=found"), output);
    String providers = output.substring(output.indexOf("providers="));
    assertTrue(providers.contains(FLAG), "the Providers error names the flag: " + output);
  }

  @Test
  void withTheFlagTheEngineIsAvailable(@TempDir Path dir) throws Exception {
    String output = runProbe(dir, true);
    assertTrue(output.contains("reason=none"), output);
    assertTrue(output.contains("providers=found"), output);
  }
}
