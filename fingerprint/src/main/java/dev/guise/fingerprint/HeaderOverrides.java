package dev.guise.fingerprint;

import dev.guise.api.Header;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntBiFunction;

/**
 * A caller's changes to a profile's default request headers: headers to set (replace a default or
 * add a new one) and default headers to remove. See {@link
 * BrowserProfile#mergeHeaders(HeaderOverrides)} for where each ends up.
 *
 * <pre>{@code
 * HeaderOverrides overrides = HeaderOverrides.builder()
 *     .set("accept-language", "de-DE,de;q=0.9")
 *     .set("cookie", "session=abc")
 *     .remove("priority")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Names are compared ignoring ASCII case.
 */
public final class HeaderOverrides {
  private static final HeaderOverrides NONE = new HeaderOverrides(List.of(), Set.of());

  private final List<Header> set;
  private final Set<String> removed;

  private HeaderOverrides(List<Header> set, Set<String> removed) {
    this.set = List.copyOf(set);
    this.removed = Set.copyOf(removed);
  }

  /** No changes: the profile's defaults as they are. */
  public static HeaderOverrides none() {
    return NONE;
  }

  /** Sets each of {@code headers}, in order; removes nothing. */
  public static HeaderOverrides of(List<Header> headers) {
    if (headers.isEmpty()) {
      return NONE;
    }
    Builder b = builder();
    for (Header h : headers) {
      b.set(h);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The headers to set, in the caller's order (a name may repeat: all its values are sent). */
  public List<Header> set() {
    return set;
  }

  /** The lower-cased names of default headers to leave out. */
  public Set<String> removed() {
    return removed;
  }

  /** Builds {@link HeaderOverrides}. Not thread-safe. */
  public static final class Builder {
    private final List<Header> set = new ArrayList<>();
    private final Set<String> removed = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Sets {@code name} to {@code value}; calling it again with the same name adds a second value.
     */
    public Builder set(String name, String value) {
      return set(new Header(name, value));
    }

    /** Sets {@code header}; see {@link #set(String, String)}. */
    public Builder set(Header header) {
      Objects.requireNonNull(header, "header");
      if (header.name().startsWith(":")) {
        throw new IllegalArgumentException(
            "pseudo-headers are the engine's business, not a header override: " + header.name());
      }
      set.add(header);
      return this;
    }

    /**
     * Leaves the default header {@code name} out (no effect when the profile has no such default).
     */
    public Builder remove(String name) {
      Objects.requireNonNull(name, "name");
      removed.add(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * @throws IllegalArgumentException if a name is both set and removed
     */
    public HeaderOverrides build() {
      for (Header h : set) {
        if (removed.contains(h.name().toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("header both set and removed: " + h.name());
        }
      }
      return new HeaderOverrides(set, removed);
    }
  }

  /**
   * Merges the headers to set into {@code out}, the defaults with the removed ones already left
   * out: a name {@code out} has takes the first value in place of every default value of that name,
   * the name's next values follow it, and a new name goes where {@code insertionPoint} says.
   */
  void mergeInto(List<Header> out, ToIntBiFunction<List<Header>, String> insertionPoint) {
    Set<String> seen = new HashSet<>();
    for (Header h : set()) {
      String lower = h.name().toLowerCase(Locale.ROOT);
      Header normalised = new Header(lower, h.value());
      if (!seen.add(lower)) {
        // Every header of this name in the list is now the caller's: add the next value after them.
        out.add(lastIndexOf(out, lower) + 1, normalised);
        continue;
      }
      int existing = indexOf(out, lower);
      if (existing >= 0) {
        out.set(existing, normalised);
        // The caller's values replace every default value of this name.
        for (int i = out.size() - 1; i > existing; i--) {
          if (out.get(i).name().equals(lower)) {
            out.remove(i);
          }
        }
      } else {
        out.add(insertionPoint.applyAsInt(out, lower), normalised);
      }
    }
  }

  static int lastIndexOf(List<Header> headers, String lower) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).name().equals(lower)) {
        return i;
      }
    }
    return -1;
  }

  static int indexOf(List<Header> headers, String lower) {
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).name().equals(lower)) {
        return i;
      }
    }
    return -1;
  }
}
