package dev.guise.session;

import java.io.IOException;

/**
 * A cookie jar file that cannot be read: what is wrong and on which line. The message never holds a
 * cookie's value.
 */
public final class CookieFileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int line;

  /**
   * @param line the 1-based line the problem is on
   * @param problem what is wrong there, without any cookie value
   */
  public CookieFileException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line the problem is on. */
  public int line() {
    return line;
  }
}
