package dev.guise.pool;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.TlsExtension;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The TLS 1.3 tickets a ClientHello offers, as the server reads them. */
final class SessionTickets {
  private SessionTickets() {}

  /**
   * The identities of the hello's {@code pre_shared_key} extension (RFC 8446 4.2.11: a list of
   * identity and obfuscated age, then the binders), hex, in order; empty without one.
   */
  static List<String> offered(ClientHello hello) {
    List<String> out = new ArrayList<>();
    TlsExtension psk = hello.extension(ClientHello.EXT_PRE_SHARED_KEY).orElse(null);
    if (psk == null) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(psk.data());
    int end = b.position() + 2 + Short.toUnsignedInt(b.getShort());
    while (b.position() < end) {
      byte[] identity = new byte[Short.toUnsignedInt(b.getShort())];
      b.get(identity);
      b.getInt(); // obfuscated_ticket_age
      out.add(HexFormat.of().formatHex(identity));
    }
    return out;
  }
}
