/**
 * The hot connection pool and the retrying client.
 *
 * <p>Also the default plugins every pool needs: the default failure classifier ({@code default})
 * and the retry policies {@code exponential}, {@code linear} and {@code never}. TLS engines are
 * modules of their own, found by name: {@code jdk} (guise-tls-jdk), {@code bouncycastle}, {@code
 * conscrypt}.
 */
module dev.guise.pool {
  requires transitive dev.guise.api;
  requires org.slf4j;
  requires jdk.jfr;
  // AccessControl's ban export and import (JSON); no public signature names it.
  requires com.fasterxml.jackson.jr.ob;
  requires dev.guise.codec;
  // Transitive: HttpRequest names a RequestKind (what a request is for).
  requires transitive dev.guise.fingerprint;

  exports dev.guise.pool;
  exports dev.guise.pool.config;
  exports dev.guise.pool.failure;
  exports dev.guise.pool.stats;
  exports dev.guise.pool.http;
  exports dev.guise.pool.proxy;
  exports dev.guise.pool.retry;
  exports dev.guise.pool.fleet;

  // Shared fleet stores (guise-redis) are found by name: FleetStores.open("redis:...").
  uses dev.guise.pool.fleet.FleetStoreProvider;

  provides dev.guise.api.spi.FailureClassifier with
      dev.guise.pool.failure.DefaultFailureClassifier;
  provides dev.guise.api.spi.RetryPolicy with
      dev.guise.pool.retry.ExponentialBackoffRetryPolicy,
      dev.guise.pool.retry.LinearRetryPolicy,
      dev.guise.pool.retry.NeverRetryPolicy;
}
