package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Expires date as RFC 6265bis's cookie-date algorithm (section 5.1.1 of RFC 6265) parses it:
 * what servers really send.
 */
class CookieDatesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The IMF-fixdate of RFC 9110.
        "Wed, 21 Oct 2015 07:28:00 GMT | 2015-10-21T07:28:00Z",
        // RFC 850's form, two-digit year (70-99: 19xx, 00-69: 20xx).
        "Wednesday, 21-Oct-15 07:28:00 GMT | 2015-10-21T07:28:00Z",
        "Thursday, 01-Jan-70 00:00:01 GMT | 1970-01-01T00:00:01Z",
        "Sunday, 31-Dec-69 23:59:59 GMT | 2069-12-31T23:59:59Z",
        // asctime's form: the year after the time.
        "Wed Oct 21 07:28:00 2015 | 2015-10-21T07:28:00Z",
        // Single-digit fields, any order of the tokens, no zone, odd delimiters.
        "21 Oct 2015 7:8:9 | 2015-10-21T07:08:09Z",
        "2015-Oct-21 07:28:00 | 2015-10-21T07:28:00Z",
        "07:28:00 21 October 2015 | 2015-10-21T07:28:00Z",
        "wed, 21 OCT 2015 07:28:00 +0200 | 2015-10-21T07:28:00Z",
        "Wed, 21 Oct 2015 07:28:00 GMT; trailing | 2015-10-21T07:28:00Z",
        // A non-digit after digits ends the field.
        "Wed, 21st Oct 2015 07:28:00 GMT | 2015-10-21T07:28:00Z",
        // The first token of each kind wins: 1 is the day, 2015 the year.
        "Wed, 1 Oct 2015 2016 07:28:00 | 2015-10-01T07:28:00Z",
        "Sat, 29 Feb 2020 12:00:00 GMT | 2020-02-29T12:00:00Z",
        "Mon, 01 Jan 1601 00:00:00 GMT | 1601-01-01T00:00:00Z",
      })
  void parses(String field, String expected) {
    assertEquals(Optional.of(Instant.parse(expected)), CookieDates.parse(field));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "",
        "someday",
        // A part missing: time, day, month, year.
        "Wed, 21 Oct 2015 GMT",
        "Wed, Oct 2015 07:28:00 GMT",
        "Wed, 21 2015 07:28:00 GMT",
        "Wed, 21 Oct 07:28:00 GMT",
        // Out of range.
        "Wed, 32 Oct 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 24:00:00 GMT",
        "Wed, 21 Oct 2015 07:60:00 GMT",
        "Wed, 21 Oct 2015 07:28:60 GMT",
        "Wed, 21 Oct 1600 07:28:00 GMT",
        // Days that do not exist.
        "Mon, 30 Feb 2015 07:28:00 GMT",
        "Thu, 31 Apr 2015 07:28:00 GMT",
        "Sun, 29 Feb 2015 07:28:00 GMT",
        // Three-digit hour, five-digit year, three-digit day.
        "Wed, 21 Oct 2015 107:28:00 GMT",
        "Wed, 21 Oct 20150 07:28:00 GMT",
        "Wed, 121 Oct 07:28:00 GMT",
      })
  void rejects(String field) {
    assertEquals(Optional.empty(), CookieDates.parse(field));
  }
}
