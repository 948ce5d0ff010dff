package dev.guise.fingerprint;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One identity of a ClientHello's pre_shared_key offer (RFC 8446 section 4.2.11): for a resumed TLS
 * 1.3 hello, the session ticket the client offers back and its obfuscated age. Immutable: the
 * ticket is copied in and out.
 *
 * @param ticket the identity's bytes, as the server issued them
 * @param obfuscatedTicketAge the ticket's age plus the server's ticket_age_add, modulo 2^32
 */
public record PskIdentity(byte[] ticket, long obfuscatedTicketAge) {
  public PskIdentity {
    ticket = Objects.requireNonNull(ticket, "ticket").clone();
    if (obfuscatedTicketAge < 0 || obfuscatedTicketAge > 0xffffffffL) {
      throw new IllegalArgumentException("not an unsigned 32-bit age: " + obfuscatedTicketAge);
    }
  }

  /** A copy of the identity's bytes. */
  @Override
  public byte[] ticket() {
    return ticket.clone();
  }

  /** The identity's bytes as lower-case hex: what tests and logs compare tickets by. */
  public String ticketHex() {
    return HexFormat.of().formatHex(ticket);
  }

  /** The length of the identity's bytes. */
  public int ticketLength() {
    return ticket.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PskIdentity other
        && other.obfuscatedTicketAge == obfuscatedTicketAge
        && Arrays.equals(other.ticket, ticket);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ticket) * 31 + Long.hashCode(obfuscatedTicketAge);
  }

  /** The length and age only: a ticket is a bearer credential for resumption, not for logs. */
  @Override
  public String toString() {
    return "psk(" + ticket.length + " bytes, age " + obfuscatedTicketAge + ")";
  }
}
