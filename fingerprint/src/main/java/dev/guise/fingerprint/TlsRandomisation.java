package dev.guise.fingerprint;

import java.util.List;

/**
 * What a browser changes from one ClientHello to the next, derived from comparing the reference
 * captures of the same browser (and the reference README). An engine that reproduces a {@link
 * BrowserProfile} must vary exactly these and keep everything else as in {@link
 * BrowserProfile#referenceHello()}. Always fresh per connection, for every browser: the client
 * random, the session id bytes (its length is kept), the key share bytes, and the bytes (config id,
 * enc, payload) of an ECH GREASE extension.
 *
 * @param permutesExtensions whether the extension order is shuffled per connection: every extension
 *     except a GREASE extension at the first or last position, which stay in place (Chrome); false
 *     means the order is fixed (Firefox)
 * @param grease whether fresh GREASE values (RFC 8701) are chosen per connection at the positions
 *     the reference hello has them: cipher suites, the first and last extension (never the same
 *     value; their data stays as in the reference: empty and one zero byte for Chrome),
 *     supported_groups, key_share (the same value as in supported_groups, one-byte share),
 *     supported_versions and signature_algorithms
 * @param echPayloadLengths the lengths the ECH GREASE payload takes, one chosen per connection
 * @param echAeadIdVaries whether the ECH extension's AEAD id changes per connection
 */
public record TlsRandomisation(
    boolean permutesExtensions,
    boolean grease,
    List<Integer> echPayloadLengths,
    boolean echAeadIdVaries) {
  public TlsRandomisation {
    echPayloadLengths = List.copyOf(echPayloadLengths);
  }
}
