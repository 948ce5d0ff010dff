package dev.guise.micrometer.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.stats.PoolEventListener;
import io.micrometer.core.instrument.Tags;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns the pool's events into timers and counters: {@code guise.requests}, {@code
 * guise.handshakes}, {@code guise.retries} and {@code guise.bans.started}, in every bound registry.
 * Events before the first registry is bound are not recorded (the gauges, read from the pool's
 * stats, show everything regardless). Thread-safe; never blocks.
 */
public final class MeterRecorder implements PoolEventListener {
  public static final String REQUESTS = "guise.requests";
  public static final String HANDSHAKES = "guise.handshakes";
  public static final String RETRIES = "guise.retries";
  public static final String BANS_STARTED = "guise.bans.started";

  /** The {@code outcome} and {@code failure} values of a success. */
  static final String SUCCESS = "SUCCESS";

  static final String FAILURE = "FAILURE";
  static final String NONE = "NONE";

  private final Tagging tagging;
  private final ConnectionGauges gauges;
  private final List<RegistryMeters> registries;

  public MeterRecorder(Tagging tagging, ConnectionGauges gauges, List<RegistryMeters> registries) {
    this.tagging = tagging;
    this.gauges = gauges;
    this.registries = registries;
  }

  @Override
  public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
    gauges.seen(endpoint.host(), endpoint.ip());
    handshake(endpoint, SUCCESS, NONE, handshake);
  }

  @Override
  public void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
    gauges.seen(endpoint.host(), endpoint.ip());
    handshake(endpoint, FAILURE, failure.kind().name(), took);
  }

  private void handshake(TlsEndpoint endpoint, String outcome, String failure, Duration took) {
    Tags tags =
        tagging.route(endpoint.host(), endpoint.ip()).and("outcome", outcome, "failure", failure);
    for (RegistryMeters m : registries) {
      m.timer(HANDSHAKES, "Connections opened: TCP, TLS and HTTP set-up", tags).record(took);
    }
  }

  @Override
  public void requestSucceeded(String host, int attempts, Duration took) {
    request(host, SUCCESS, NONE, took);
  }

  @Override
  public void requestFailed(String host, ClassifiedFailure failure, int attempts, Duration took) {
    request(host, FAILURE, failure.kind().name(), took);
  }

  private void request(String host, String outcome, String failure, Duration took) {
    Tags tags = tagging.host(host).and("outcome", outcome, "failure", failure);
    for (RegistryMeters m : registries) {
      m.timer(REQUESTS, "Requests from first attempt to the end, retries included", tags)
          .record(took);
    }
  }

  @Override
  public void retrying(String host, int attempt, ClassifiedFailure failure, Duration delay) {
    Tags tags = tagging.host(host).and("failure", failure.kind().name());
    for (RegistryMeters m : registries) {
      m.counter(RETRIES, "Failed attempts that will be retried", null, tags).increment();
    }
  }

  @Override
  public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
    Tags tags = tagging.route(host, ip);
    for (RegistryMeters m : registries) {
      m.counter(BANS_STARTED, "IPs banned for a host", null, tags).increment();
    }
  }
}
