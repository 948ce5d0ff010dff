/**
 * The fast TLS engine, {@code conscrypt}: Conscrypt (BoringSSL through JNI) behind Guise's {@link
 * dev.guise.api.spi.TlsEngine}.
 *
 * <p>It cannot be browser-exact (Conscrypt has no knobs for GREASE, extension order, certificate
 * compression or ALPS) and says so: it offers its own hello ({@code conscrypt-default}, fidelity
 * NONE) and an approximation of Chrome ({@code chrome-156}, fidelity APPROXIMATE), each with the
 * JA4 it really produces.
 *
 * <p>{@code org.conscrypt} is an automatic module (the jar's {@code Automatic-Module-Name}). It
 * loads a native library: on JDK 22+ run with {@code --enable-native-access=org.conscrypt} (module
 * path) or {@code --enable-native-access=ALL-UNNAMED} (class path) to keep the JDK quiet.
 */
module dev.guise.tls.conscrypt {
  requires transitive dev.guise.api;
  requires dev.guise.fingerprint;
  requires dev.guise.codec;
  requires dev.guise.tls.support;
  requires org.conscrypt;

  exports dev.guise.tls.conscrypt;

  provides dev.guise.api.spi.TlsEngine with
      dev.guise.tls.conscrypt.ConscryptEngine;
}
