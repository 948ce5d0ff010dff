/**
 * TLS ClientHello parsing, TLS and HTTP/2 fingerprints (JA3, JA3N, JA4, Akamai) and the browser
 * profile catalogue: the bundled profiles (Chrome 156, Firefox 153) built from the reference
 * captures, profile packs found as {@link dev.guise.fingerprint.BrowserProfileSource} plugins, and
 * profile files read by path.
 *
 * <p>Everything here is pure computation over bytes: no threads, and no I/O besides reading the
 * module's own resources and profile files the caller names. Depends on {@code dev.guise.api} (for
 * {@link dev.guise.api.Header} and the classified exception type), which it re-exports because its
 * API speaks those types, and on jackson-jr to read the captures' and profile files' JSON (not
 * re-exported: no signature here names it).
 */
module dev.guise.fingerprint {
  requires transitive dev.guise.api;
  requires com.fasterxml.jackson.jr.ob;

  // Exported to everyone, unlike the codec: computing JA4 or Akamai fingerprints of captures and
  // reading the browser profiles are things users do (the testkit's public records speak these
  // types too). The parsing helpers stay in the unexported internal package.
  exports dev.guise.fingerprint;

  // Profile packs implement BrowserProfileSource. It lives in dev.guise.fingerprint, beside the
  // catalogue that loads it, because its one method returns BrowserProfile: a separate spi package
  // would depend on this package while this package's catalogue depends on it (a package cycle).
  uses dev.guise.fingerprint.BrowserProfileSource;
}
