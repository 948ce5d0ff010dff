package dev.guise.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.Providers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run on the module path and again on the class path (see the root pom). */
class ValidatorsDiscoveryTest {
  @Test
  void allFiveAreFoundOnThisPath() {
    boolean modulePath = "module".equals(System.getProperty("guise.expected.path"));
    List<String> names =
        Providers.connectionValidators().stream().map(ConnectionValidator::name).sorted().toList();
    assertEquals(List.of("full-url", "get-limited", "h2-ping", "head-path", "tls-alive"), names);
    for (ConnectionValidator v : Providers.connectionValidators()) {
      assertEquals(modulePath, v.getClass().getModule().isNamed(), v.name());
    }
  }
}
