package dev.guise.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server certificate chain and its private key, ready for a JDK TLS server ({@link
 * #serverSslContext()}) or {@code openssl s_server} ({@link #writePem(Path)}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param chain the leaf first, then any intermediates; never the root
 * @param privateKey the leaf's private key
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey) {

  public IssuedCertificate {
    chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a chain has at least the leaf");
    }
  }

  /** The server's own certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Key managers presenting this chain, for {@link SSLContext#init}. */
  public KeyManager[] keyManagers() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "testkit".toCharArray();
      store.setKeyEntry("server", privateKey, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build key managers for a test certificate", e);
    }
  }

  /** A new JDK {@code TLS} context that presents this chain as a server (no client auth). */
  public SSLContext serverSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an SSLContext for a test certificate", e);
    }
  }

  /** The chain as PEM text, leaf first. */
  public String chainPem() {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : chain) {
      try {
        out.append(pem("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }

  /** The private key as unencrypted PKCS#8 PEM text. */
  public String privateKeyPem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /**
   * Writes {@code chain.pem} and {@code key.pem} into {@code directory} (created if needed), for
   * {@code openssl s_server -cert chain.pem -key key.pem}.
   */
  public PemFiles writePem(Path directory) {
    try {
      Files.createDirectories(directory);
      Path cert = directory.resolve("chain.pem");
      Path key = directory.resolve("key.pem");
      Files.writeString(cert, chainPem(), StandardCharsets.US_ASCII);
      Files.writeString(key, privateKeyPem(), StandardCharsets.US_ASCII);
      return new PemFiles(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where {@link #writePem(Path)} put the files. */
  public record PemFiles(Path certificateChain, Path privateKey) {}

  static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
