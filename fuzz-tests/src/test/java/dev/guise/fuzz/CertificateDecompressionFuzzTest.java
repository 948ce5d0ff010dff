package dev.guise.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.api.FailureKind;
import dev.guise.codec.content.ContentDecoders;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * RFC 8879 CompressedCertificate bodies, as a TLS server sends them: the input is the message's
 * {@code algorithm(2) uncompressed_length(3) compressed_certificate_message<1..2^24-1>} (the length
 * prefix of the last field dropped: the rest of the input is the compressed data). The result must
 * be exactly the declared length or a PROTOCOL_ERROR; a bomb stops one byte past the declared
 * length.
 */
class CertificateDecompressionFuzzTest {
  @FuzzTest
  void decompress(byte[] input) throws IOException {
    if (input.length < 5) {
      return;
    }
    int algorithm = ((input[0] & 0xff) << 8) | (input[1] & 0xff);
    int declared = ((input[2] & 0xff) << 16) | ((input[3] & 0xff) << 8) | (input[4] & 0xff);
    byte[] compressed = Arrays.copyOfRange(input, 5, input.length);
    Contract.parsesOrFailsClassified(
        () -> {
          byte[] out = ContentDecoders.decompressCertificate(algorithm, compressed, declared);
          assertEquals(declared, out.length, "decompressed length differs from the declared one");
        },
        Set.of(FailureKind.PROTOCOL_ERROR));
  }
}
