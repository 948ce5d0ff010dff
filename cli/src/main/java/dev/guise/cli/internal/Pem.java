package dev.guise.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads and writes X.509 certificates in PEM. */
final class Pem {
  private Pem() {}

  /**
   * Every certificate in a PEM file.
   *
   * @throws CliException a usage error when the file is missing, unreadable or holds none
   */
  static List<X509Certificate> readCertificates(Path file, ParsedArgs args) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw args.usageError("no certificate in " + file);
      }
      return out;
    } catch (NoSuchFileException e) {
      throw args.usageError("no such file: " + file);
    } catch (IOException | CertificateException e) {
      throw args.usageError("cannot read certificates from " + file + ": " + e.getMessage());
    }
  }

  /** One certificate as PEM text. */
  static String encode(X509Certificate certificate) {
    try {
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }
}
