package dev.guise.tls.bouncycastle.internal;

/** A ClientHello (a profile or a capture) asks for something this engine cannot send faithfully. */
final class UnsupportedHelloException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UnsupportedHelloException(String problem) {
    super("unsupported ClientHello content: " + problem);
  }
}
