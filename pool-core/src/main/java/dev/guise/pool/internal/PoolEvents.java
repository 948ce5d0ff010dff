package dev.guise.pool.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import java.time.Duration;

/** What the pool reports as it works: to statistics, listeners and JFR. Implementations must not block. */
public interface PoolEvents {
  void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake);

  void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure);

  void connectionClosed(TlsEndpoint endpoint, String reason);

  void ipBanned(IpAccessController.Ban ban);

  PoolEvents NONE = new PoolEvents() {
    @Override
    public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {}

    @Override
    public void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure) {}

    @Override
    public void connectionClosed(TlsEndpoint endpoint, String reason) {}

    @Override
    public void ipBanned(IpAccessController.Ban ban) {}
  };
}
