package dev.userfabric.adapter.cache;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads back the instants a record holds, as {@link Instant#toString()} wrote them
 * ({@code 2026-12-01T19:43:00.123Z}: a four-digit year, UTC, 0 to 9 fraction digits) without
 * {@code DateTimeFormatter}, whose parse builds a map of fields per call: two of them made about
 * 3 % of a known user's garbage. Anything else, a year past 9999 say, goes to
 * {@link Instant#parse}, so every text it accepts is accepted and means the same.
 */
final class StoredInstants {

  private static final int SECONDS_END = "2026-12-01T19:43:00".length();

  private StoredInstants() {}

  /** @throws DateTimeException when the text is not an instant */
  static Instant parse(String text) {
    int length = text.length();
    if (length < SECONDS_END + 1 || length > SECONDS_END + 11 || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    int fractionEnd = length - 1;
    if (fractionEnd > SECONDS_END) {
      if (text.charAt(SECONDS_END) != '.' || fractionEnd == SECONDS_END + 1) {
        return Instant.parse(text);
      }
      nanos = digits(text, SECONDS_END + 1, fractionEnd);
      for (int scale = fractionEnd - SECONDS_END - 1; scale < 9; scale++) {
        nanos *= 10;
      }
    }
    if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
      return Instant.parse(text); // not digits, or out of range: let the JDK say what is wrong
    }
    long days = LocalDate.of(year, month, day).toEpochDay(); // checks the date itself
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in [from, to), or -1 if a character is not an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
