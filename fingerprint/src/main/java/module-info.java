/**
 * TLS ClientHello parsing, TLS and HTTP/2 fingerprints (JA3, JA3N, JA4, Akamai) and the browser
 * profile catalogue (Chrome 156, Firefox 153) built from the reference captures.
 *
 * <p>Everything here is pure computation over bytes: no I/O besides reading the module's own
 * resources, no threads. Depends on {@code dev.guise.api} (for {@link dev.guise.api.Header} and the
 * classified exception type), which it re-exports because its API speaks those types, and on
 * jackson-jr to read the bundled captures' JSON (not re-exported: no signature here names it).
 */
module dev.guise.fingerprint {
  requires transitive dev.guise.api;
  requires com.fasterxml.jackson.jr.ob;

  // Exported to everyone, unlike the codec: computing JA4 or Akamai fingerprints of captures and
  // reading the browser profiles are things users do (the testkit's public records speak these
  // types too). The parsing helpers stay in the unexported internal package.
  exports dev.guise.fingerprint;
}
