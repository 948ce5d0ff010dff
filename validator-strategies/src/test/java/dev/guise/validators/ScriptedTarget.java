package dev.guise.validators;

import dev.guise.api.Fidelity;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.ProbeRequest;
import dev.guise.api.ProbeResponse;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.ValidationTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connection whose answers a test scripts, recording what validators sent. It checks validator
 * logic; the validators' behaviour over real connections is tested with the pool.
 */
final class ScriptedTarget implements ValidationTarget {
  interface Answer {
    ProbeResponse answer(ProbeRequest request, Duration timeout) throws IOException;
  }

  HttpProtocol protocol = HttpProtocol.HTTP_2;
  boolean open = true;
  boolean unexpectedInput;
  Instant openedAt = Instant.parse("2026-01-01T00:00:00Z");
  Instant now = openedAt.plusSeconds(10);
  Duration maxLifetime = Duration.ofMinutes(5);
  Answer answer = (r, t) -> new ProbeResponse(200, List.of(), new byte[0], false);
  Duration pingRtt = Duration.ofMillis(3);
  IOException pingFailure;
  final List<ProbeRequest> sent = new ArrayList<>();
  int pings;

  @Override
  public TlsEndpoint endpoint() {
    return new TlsEndpoint("example.test", InetAddress.getLoopbackAddress(), 443);
  }

  @Override
  public HttpProtocol protocol() {
    return protocol;
  }

  @Override
  public NegotiatedTls tls() {
    return new NegotiatedTls(
        "TLSv1.3",
        "TLS_AES_128_GCM_SHA256",
        Optional.of(protocol.alpn()),
        Optional.empty(),
        List.of(),
        "jdk-default",
        Fidelity.NONE);
  }

  @Override
  public Instant openedAt() {
    return openedAt;
  }

  @Override
  public Instant lastUsedAt() {
    return openedAt;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public Duration maxLifetime() {
    return maxLifetime;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean hasUnexpectedInput() {
    return unexpectedInput;
  }

  @Override
  public ProbeResponse exchange(ProbeRequest request, Duration timeout) throws IOException {
    sent.add(request);
    return answer.answer(request, timeout);
  }

  @Override
  public Duration ping(Duration timeout) throws IOException {
    if (protocol != HttpProtocol.HTTP_2) {
      throw new UnsupportedOperationException("PING is HTTP/2 only");
    }
    pings++;
    if (pingFailure != null) {
      throw pingFailure;
    }
    return pingRtt;
  }
}
