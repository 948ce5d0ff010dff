/**
 * Micrometer metrics for a Guise pool: {@link dev.guise.micrometer.GuisePoolMetrics} is a {@code
 * MeterBinder} that shows a {@code HotConnectionPool}'s connections, requests, handshakes, retries
 * and bans in any Micrometer registry (Prometheus, OTLP, JMX, ...).
 */
module dev.guise.micrometer {
  requires transitive dev.guise.pool;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports dev.guise.micrometer;
}
