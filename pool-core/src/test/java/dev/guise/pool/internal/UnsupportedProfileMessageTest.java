package dev.guise.pool.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.spi.TlsEngine;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pool configured with a profile its engine refuses says why, as the engine knows it (the
 * BouncyCastle engine's reason, naming the extension, is tested in its module's {@code
 * CatalogueProfilesTest}); an engine that merely lacks the profile gets the plain message.
 */
class UnsupportedProfileMessageTest {
  /** An engine that offers nothing and refuses {@code odd} for a reason. */
  private static final class Refusing implements TlsEngine {
    @Override
    public String name() {
      return "refusing";
    }

    @Override
    public List<FingerprintOffer> offers() {
      return List.of();
    }

    @Override
    public Optional<String> refusal(String profile) {
      return profile.equals("odd")
          ? Optional.of("extension 0x7777 cannot be sent")
          : Optional.empty();
    }

    @Override
    public TlsConnection connect(Socket socket, TlsConnectRequest request) {
      throw new UnsupportedOperationException("never connected in this test");
    }
  }

  @Test
  void theEnginesReasonIsQuoted() {
    String message = DefaultConnectionFactory.unsupported(new Refusing(), "odd");
    assertTrue(
        message.contains("'refusing' does not offer profile 'odd' (extension 0x7777"), message);
  }

  @Test
  void aMissingProfileHasNoReason() {
    String message = DefaultConnectionFactory.unsupported(new Refusing(), "absent");
    assertTrue(message.contains("does not offer profile 'absent';"), message);
    assertFalse(message.contains("0x7777"), message);
  }
}
