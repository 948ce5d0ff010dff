package dev.guise.fingerprint;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a browser's HPACK encoder represents request fields, from the session captures: which fields
 * it never adds to the dynamic table, which it marks never-indexed, when it Huffman-codes a string,
 * and which table entry a literal's name refers to.
 *
 * @param withoutIndexing lower-case names always sent as literals without indexing ({@code :path})
 * @param neverIndexed lower-case names always sent as never-indexed literals (Firefox's cookie)
 * @param huffman when a string literal is Huffman-coded
 * @param nameReference which entry a literal's name refers to when several hold it
 */
public record HeaderCompression(
    Set<String> withoutIndexing,
    Set<String> neverIndexed,
    Huffman huffman,
    NameReference nameReference) {

  /** When a string literal is Huffman-coded. */
  public enum Huffman {
    /** Only when strictly shorter than the raw string (Chrome). */
    WHEN_SHORTER,
    /** When no longer than the raw string (Firefox). */
    WHEN_NOT_LONGER
  }

  /** Which table entry a literal's name refers to. */
  public enum NameReference {
    /** The static table's first entry of the name, else the newest dynamic one (Chrome). */
    STATIC_THEN_NEWEST_DYNAMIC,
    /** The highest index: the oldest dynamic entry, else the static table's last (Firefox). */
    HIGHEST_INDEX
  }

  public HeaderCompression {
    withoutIndexing = Set.copyOf(withoutIndexing);
    neverIndexed = Set.copyOf(neverIndexed);
    Objects.requireNonNull(huffman, "huffman");
    Objects.requireNonNull(nameReference, "nameReference");
  }

  /** Incremental indexing of every field, Huffman when shorter, static names first. */
  public static HeaderCompression incremental() {
    return new HeaderCompression(
        Set.of(), Set.of(), Huffman.WHEN_SHORTER, NameReference.STATIC_THEN_NEWEST_DYNAMIC);
  }

  static <E extends Enum<E>> E parse(Class<E> type, String text) {
    return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
