package dev.guise.api.spi;

import java.util.List;

/** No provider of an SPI answers to the name asked for. The message lists the names that do. */
public final class UnknownProviderException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String requested;
  private final List<String> available;

  UnknownProviderException(Class<?> spi, String requested, List<String> available) {
    super(
        "no "
            + spi.getSimpleName()
            + " named '"
            + requested
            + "'; available: "
            + (available.isEmpty()
                ? "none (is the plugin module on the module path or class path?)"
                : String.join(", ", available)));
    this.requested = requested;
    this.available = List.copyOf(available);
  }

  /** The name that was asked for. */
  public String requested() {
    return requested;
  }

  /** The names that were found, sorted. */
  public List<String> available() {
    return available;
  }
}
