package dev.guise.session.internal;

import dev.guise.session.CookieFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads a text file line by line with a bound on a line's length, so that a file that is one
 * enormous line fails at the bound instead of filling the heap. Lines end at LF, CRLF or CR.
 */
final class CookieFileLines {

  private final BufferedReader in;
  private final int maxLength;
  private final StringBuilder line = new StringBuilder();
  private int number;
  private boolean pendingCr;

  CookieFileLines(Reader in, int maxLength) {
    this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
    this.maxLength = maxLength;
  }

  /** The 1-based number of the line {@link #next} returned last. */
  int number() {
    return number;
  }

  /** The next line without its ending, or null at the end of the file. */
  String next() throws IOException {
    line.setLength(0);
    int c;
    boolean any = false;
    while ((c = in.read()) >= 0) {
      if (pendingCr) {
        pendingCr = false;
        if (c == '\n') {
          continue;
        }
      }
      any = true;
      if (c == '\n') {
        break;
      }
      if (c == '\r') {
        pendingCr = true;
        break;
      }
      if (line.length() == maxLength) {
        throw new CookieFileException(number + 1, "line longer than " + maxLength + " characters");
      }
      line.append((char) c);
    }
    if (!any) {
      return null;
    }
    number++;
    return line.toString();
  }
}
