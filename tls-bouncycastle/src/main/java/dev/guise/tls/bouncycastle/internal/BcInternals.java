package dev.guise.tls.bouncycastle.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsHandshakeHash;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsSession;

/**
 * The one place where Guise reaches into BouncyCastle's package-private members.
 *
 * <p>Why it is needed: to send a ClientHello whose bytes Guise chooses (extension order, GREASE,
 * ECH GREASE), the hello must enter the transcript hash and go out through the record layer exactly
 * as BouncyCastle's own {@code sendClientHelloMessage()} would do it. That method is protected and
 * can be overridden, but the two things it uses, the field {@code TlsProtocol.handshakeHash} and
 * the method {@code TlsProtocol.writeHandshakeMessage(byte[], int, int)}, are package-private, and
 * BouncyCastle's jars are signed so no class can be added to its package. The same write method
 * sends ALPS's ClientEncryptedExtensions, a handshake type BouncyCastle does not know.
 *
 * <p>After a TLS 1.3 handshake, {@link #forgetPeerCertificate} drops what BouncyCastle would keep
 * for the life of the connection and never read again: the server certificate parsed into ASN.1 (in
 * the connection's {@code SecurityParameters} and in its {@code TlsSession}), which has no setter.
 *
 * <p>This is tied to the bctls version: both members exist unchanged in 1.84, the version pinned in
 * the root pom ({@code bouncycastle.version}). {@link #check()} runs once when the engine is first
 * used and reports a missing member or a module that is not opened with a message naming the fix,
 * rather than failing in the middle of a handshake.
 */
final class BcInternals {
  static final String PINNED_BC_VERSION = "1.84";
  static final String ADD_OPENS =
      "--add-opens org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle";

  private static final MethodHandle HANDSHAKE_HASH;
  private static final MethodHandle WRITE_HANDSHAKE_MESSAGE;
  private static final VarHandle PEER_CERTIFICATE;
  private static final VarHandle CONTEXT_SESSION;
  private static final String FAILURE;

  static {
    MethodHandle hash = null;
    MethodHandle write = null;
    VarHandle peerCertificate = null;
    VarHandle session = null;
    String failure = null;
    try {
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(TlsProtocol.class, MethodHandles.lookup());
      hash = lookup.findGetter(TlsProtocol.class, "handshakeHash", TlsHandshakeHash.class);
      write =
          lookup.findVirtual(
              TlsProtocol.class,
              "writeHandshakeMessage",
              MethodType.methodType(void.class, byte[].class, int.class, int.class));
      peerCertificate =
          lookup.findVarHandle(SecurityParameters.class, "peerCertificate", Certificate.class);
      // The base class of every TlsContext is package-private: named, not imported.
      Class<?> context =
          Class.forName(
              TlsProtocol.class.getPackageName() + ".AbstractTlsContext",
              false,
              TlsProtocol.class.getClassLoader());
      session =
          MethodHandles.privateLookupIn(context, MethodHandles.lookup())
              .findVarHandle(context, "session", TlsSession.class);
    } catch (IllegalAccessException e) {
      failure =
          "BouncyCastle's package org.bouncycastle.tls is not open to Guise ("
              + e.getMessage()
              + "). On the module path start the JVM with "
              + ADD_OPENS
              + " (on the class path no flag is needed).";
    } catch (NoSuchFieldException | NoSuchMethodException | ClassNotFoundException e) {
      failure =
          "this bctls ("
              + bcVersion()
              + ") lacks a member Guise needs ("
              + e.getMessage()
              + "); use bctls-jdk18on "
              + PINNED_BC_VERSION
              + ", the version Guise is built and tested with.";
    } catch (RuntimeException | LinkageError e) {
      failure = "cannot access BouncyCastle's TLS internals: " + e;
    }
    HANDSHAKE_HASH = hash;
    WRITE_HANDSHAKE_MESSAGE = write;
    PEER_CERTIFICATE = peerCertificate;
    CONTEXT_SESSION = session;
    FAILURE = failure;
  }

  private BcInternals() {}

  /** Why the internals cannot be reached, with the fix; empty when they can. */
  static Optional<String> check() {
    return Optional.ofNullable(FAILURE);
  }

  /** Adds a handshake message Guise wrote to the transcript, as BouncyCastle does for its hello. */
  static void updateTranscript(TlsProtocol protocol, byte[] message) {
    transcript(protocol).update(message, 0, message.length);
  }

  /** The handshake transcript hash (for PSK binders and the resumption master secret). */
  static TlsHandshakeHash transcript(TlsProtocol protocol) {
    try {
      return (TlsHandshakeHash) handle(HANDSHAKE_HASH).invokeExact(protocol);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a whole handshake message through the record layer. For every type but client_hello,
   * BouncyCastle also adds it to the transcript.
   */
  static void writeHandshakeMessage(TlsProtocol protocol, byte[] message) throws IOException {
    try {
      handle(WRITE_HANDSHAKE_MESSAGE).invokeExact(protocol, message, 0, message.length);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Drops the server certificate BouncyCastle keeps after the handshake: from the connection's
   * security parameters, and the whole {@code TlsSession} (which holds it again, with a copy of the
   * master secret). Only for TLS 1.3, where bctls 1.84 reads neither once the handshake is complete
   * (no renegotiation; it ignores TLS 1.3 tickets, Guise resumes with its own {@code Resumption}).
   * Guise's copy of the verified chain, in {@code NegotiatedTls}, is the JDK's and stays.
   */
  static void forgetPeerCertificate(TlsContext context) {
    if (FAILURE != null) {
      throw new IllegalStateException(FAILURE);
    }
    PEER_CERTIFICATE.set(context.getSecurityParametersConnection(), (Certificate) null);
    CONTEXT_SESSION.set(context, (TlsSession) null);
  }

  private static MethodHandle handle(MethodHandle h) {
    if (h == null) {
      throw new IllegalStateException(FAILURE);
    }
    return h;
  }

  static String bcVersion() {
    Package p = TlsProtocol.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    if (v == null) {
      v =
          TlsProtocol.class.getModule().getDescriptor() == null
              ? null
              : TlsProtocol.class.getModule().getDescriptor().rawVersion().orElse(null);
    }
    return v == null ? "unknown version" : v;
  }
}
