/**
 * The {@code guise} command: {@code demo}, {@code fetch}, {@code inspect} and {@code profiles}.
 *
 * <p>{@link dev.guise.cli.Main} is the entry point; the commands live in the non-exported {@code
 * dev.guise.cli.internal}. TLS engines are not required here: they are plugins the pool finds with
 * {@link java.util.ServiceLoader} ({@code dev.guise.api} declares the {@code uses}), so the engine
 * modules on the module path are bound at start-up without being named.
 */
module dev.guise.cli {
  requires dev.guise.api;
  requires dev.guise.fingerprint;
  requires dev.guise.pool;
  requires dev.guise.redis;
  requires dev.guise.session;
  requires dev.guise.testkit;
  requires com.fasterxml.jackson.jr.ob;

  exports dev.guise.cli;
}
