package dev.guise.pool.internal;

import java.util.Locale;

/** A host and port, the unit connections are pooled by (with the IP). Host names are lower case. */
public record HostKey(String host, int port) {
  public HostKey {
    host = host.toLowerCase(Locale.ROOT);
  }

  // Written out: every lease looks its host up by this key, and in PoolAcquire's CPU profile at 64
  // threads the record's generated equals and hashCode took over a quarter of the time.
  @Override
  public boolean equals(Object o) {
    return o instanceof HostKey k && port == k.port && host.equals(k.host);
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  @Override
  public String toString() {
    return port == 443 ? host : host + ":" + port;
  }
}
