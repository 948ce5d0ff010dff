package dev.guise.api;

/** The HTTP versions Guise speaks, with their ALPN identifiers. */
public enum HttpProtocol {
  HTTP_1_1("http/1.1"),
  HTTP_2("h2");

  private final String alpn;

  HttpProtocol(String alpn) {
    this.alpn = alpn;
  }

  /** The ALPN protocol identifier. */
  public String alpn() {
    return alpn;
  }

  /**
   * The protocol for an ALPN identifier.
   *
   * @throws IllegalArgumentException for an identifier Guise does not speak
   */
  public static HttpProtocol fromAlpn(String alpn) {
    for (HttpProtocol p : values()) {
      if (p.alpn.equals(alpn)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported ALPN protocol: " + alpn);
  }
}
