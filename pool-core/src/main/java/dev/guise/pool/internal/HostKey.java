package dev.guise.pool.internal;

import java.util.Locale;

/** A host and port, the unit connections are pooled by (with the IP). Host names are lower case. */
public record HostKey(String host, int port) {
  public HostKey {
    host = host.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return port == 443 ? host : host + ":" + port;
  }
}
