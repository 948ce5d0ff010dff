package dev.guise.tls.conscrypt.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A native library that cannot load becomes a reason, not a crash. The real failure cannot be
 * produced on a machine where Conscrypt loads, so the loader is replaced by one that fails the way
 * the JDK does.
 */
class ConscryptRuntimeTest {
  @Test
  void aNativeLibraryThatCannotLoadIsAClearReason() {
    var outcome =
        ConscryptRuntime.Outcome.load(
            () -> {
              throw new UnsatisfiedLinkError(
                  "no conscrypt_openjdk_jni-linux-riscv64 in java.library.path");
            });
    assertNull(outcome.provider());
    assertTrue(
        outcome.failure().contains("UnsatisfiedLinkError")
            && outcome.failure().contains("riscv64")
            && outcome.failure().contains("Pick another TLS engine"),
        outcome.failure());
  }

  @Test
  void aMissingJarIsAClearReason() {
    var outcome =
        ConscryptRuntime.Outcome.load(
            () -> {
              throw new NoClassDefFoundError("org/conscrypt/Conscrypt");
            });
    assertTrue(outcome.failure().contains("org/conscrypt/Conscrypt"), outcome.failure());
  }

  @Test
  void loadsHere() {
    assertTrue(
        ConscryptRuntime.unavailableReason().isEmpty(),
        () -> ConscryptRuntime.unavailableReason().orElseThrow());
  }
}
