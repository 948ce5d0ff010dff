package dev.guise.tls.bouncycastle.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsHMAC;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * One connection's part in TLS 1.3 resumption (RFC 8446 4.6.1, 4.2.11, 7.1): the ticket it offers,
 * if any, and the tickets the server sends it, which go to the {@link TicketCache}.
 *
 * <p>Why Guise computes this itself: bctls 1.84's client ignores NewSessionTicket in TLS 1.3
 * (tickets are read and dropped), and its only client PSK route, external PSKs, binds them with the
 * "ext binder" label, which a server resuming a ticket rejects. So the key schedule's resumption
 * parts are here, on BouncyCastle's public HKDF primitives: the resumption master secret when the
 * client Finished is sent, each ticket's PSK when it arrives, and the "res binder" binder of the
 * resumed ClientHello. The PSK is handed to BouncyCastle as an external PSK (identity and key), so
 * that BouncyCastle's own key schedule takes it when the server selects it: the early secret is the
 * same for both kinds of PSK; only the binder differs, and Guise writes the binder.
 *
 * <p>Not thread-safe; one per connection. Tickets arrive on the thread that reads.
 */
final class Resumption {
  private final TicketCache cache;
  private final TicketCache.Key key;
  private final TlsCrypto crypto;
  private final ResumptionTicket offered; // null: a full handshake
  private TlsSecret resumptionMasterSecret;
  private int prfAlgorithm;
  private int hashAlgorithm;
  private List<X509Certificate> serverChain = List.of();
  private volatile int ticketsKept; // written by the reading thread, read by any

  Resumption(TicketCache cache, TicketCache.Key key, TlsCrypto crypto, ResumptionTicket offered) {
    this.cache = cache;
    this.key = key;
    this.crypto = crypto;
    this.offered = offered;
  }

  /** The ticket this connection offers, or null. */
  ResumptionTicket offered() {
    return offered;
  }

  long nowMillis() {
    return cache.nowMillis();
  }

  /** How many tickets of this connection went into the cache (tests). */
  int ticketsKept() {
    return ticketsKept;
  }

  /** The binder length of the offered ticket's hash. */
  int binderLength() {
    return TlsCryptoUtils.getHashOutputSize(offered.cryptoHashAlgorithm());
  }

  /**
   * The PSK binder (RFC 8446 4.2.11.2) of the offered ticket over {@code transcriptHash}: the hash
   * of the transcript up to and including the truncated ClientHello.
   */
  byte[] binder(byte[] transcriptHash) throws IOException {
    int hash = offered.cryptoHashAlgorithm();
    int length = TlsCryptoUtils.getHashOutputSize(hash);
    TlsSecret early = crypto.hkdfInit(hash).hkdfExtract(hash, crypto.createSecret(offered.psk()));
    byte[] emptyHash = crypto.createHash(hash).calculateHash();
    TlsSecret binderKey =
        TlsCryptoUtils.hkdfExpandLabel(early, hash, "res binder", emptyHash, length);
    TlsSecret finishedKey =
        TlsCryptoUtils.hkdfExpandLabel(binderKey, hash, "finished", TlsUtils.EMPTY_BYTES, length);
    TlsHMAC hmac = crypto.createHMACForHash(hash);
    hmac.setKey(finishedKey.extract(), 0, length);
    hmac.update(transcriptHash, 0, transcriptHash.length);
    early.destroy();
    binderKey.destroy();
    return hmac.calculateMAC();
  }

  /**
   * Called when the client Finished has been sent: derives the resumption master secret from the
   * master secret and the transcript through the client Finished.
   */
  void handshakeFinished(
      SecurityParameters parameters, byte[] transcriptHash, List<X509Certificate> chain)
      throws IOException {
    prfAlgorithm = parameters.getPRFAlgorithm();
    hashAlgorithm = parameters.getPRFCryptoHashAlgorithm();
    serverChain = chain;
    resumptionMasterSecret =
        TlsCryptoUtils.hkdfExpandLabel(
            parameters.getMasterSecret(),
            hashAlgorithm,
            "res master",
            transcriptHash,
            parameters.getPRFHashLength());
  }

  /**
   * A session as after a full handshake over TLS_AES_128_GCM_SHA256 with {@code masterSecret}
   * (tests of what is done with the tickets that follow, without a handshake).
   */
  void handshakeFinishedForTest(byte[] masterSecret) throws IOException {
    prfAlgorithm = PRFAlgorithm.tls13_hkdf_sha256;
    hashAlgorithm = CryptoHashAlgorithm.sha256;
    resumptionMasterSecret = crypto.createSecret(masterSecret);
  }

  /**
   * A NewSessionTicket message body: its PSK is derived and the ticket cached (unless the cache
   * refuses it: too large, or a zero lifetime, which means "do not use").
   */
  void ticketReceived(ByteArrayInputStream body) throws IOException {
    long lifetimeSeconds = TlsUtils.readUint32(body);
    long ageAdd = TlsUtils.readUint32(body);
    byte[] nonce = TlsUtils.readOpaque8(body);
    byte[] ticket = TlsUtils.readOpaque16(body, 1);
    TlsUtils.readOpaque16(body); // extensions: early_data's max size only; Guise sends no 0-RTT
    if (body.available() != 0) {
      throw new TlsFatalAlert(AlertDescription.decode_error, "NewSessionTicket has trailing bytes");
    }
    if (resumptionMasterSecret == null
        || lifetimeSeconds == 0
        || ticket.length > TicketCache.MAX_TICKET_BYTES) {
      return;
    }
    int length = TlsCryptoUtils.getHashOutputSize(hashAlgorithm);
    byte[] psk =
        TlsCryptoUtils.hkdfExpandLabel(
                resumptionMasterSecret, hashAlgorithm, "resumption", nonce, length)
            .extract();
    long now = cache.nowMillis();
    long lifetime = Math.min(lifetimeSeconds * 1000, TicketCache.MAX_LIFETIME_MILLIS);
    ResumptionTicket fresh =
        new ResumptionTicket(
            ticket, psk, prfAlgorithm, hashAlgorithm, ageAdd, now, now + lifetime, serverChain);
    if (cache.put(key, fresh)) {
      ticketsKept = ticketsKept + 1; // one reading thread writes
    }
  }
}
