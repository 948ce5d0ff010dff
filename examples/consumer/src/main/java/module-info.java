/**
 * A user's application: it requires Guise's pool and the testkit (for a server to talk to) and
 * names no engine; the BouncyCastle engine is found on the module path by {@code ServiceLoader}.
 */
module com.example.consumer {
  requires dev.guise.pool;
  requires dev.guise.testkit;
}
