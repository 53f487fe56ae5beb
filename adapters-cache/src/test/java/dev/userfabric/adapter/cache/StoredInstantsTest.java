package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredInstantsTest {

  @Test
  void readsWhatInstantToStringWroteAsInstantParseDoes() {
    Random random = new Random(2026);
    long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      long seconds = from + (long) (random.nextDouble() * (to - from));
      int nanos = switch (i % 4) { // toString writes 0, 3, 6 or 9 fraction digits
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(instant, StoredInstants.parse(instant.toString()), instant.toString());
    }
  }

  @Test
  void anyOtherFormInstantParseAcceptsMeansTheSame() {
    for (String text : List.of("2026-12-01T19:43:00.1Z", "2026-12-01T19:43:00.12345Z", "+10000-01-01T00:00:00Z",
        "2026-12-01T19:43:00+01:00", "2016-12-31T23:59:60Z", "2026-12-01T24:00:00Z", "2026-12-01T19:43:00.Z", "2024-02-29T00:00:00Z", "1969-12-31T23:59:59.999999999Z")) {
      assertEquals(Instant.parse(text), StoredInstants.parse(text), text);
    }
  }

  @Test
  void refusesWhatIsNotAnInstantAsInstantParseDoes() {
    for (String text : List.of("", "2026-12-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-12-01T19:60:00Z", "2026-12-01T19:43:00.1234567890Z", "2026-12-0aT19:43:00Z",
        "2026-12-01X19:43:00Z", "2026-12-01T19:43:00", "-026-12-01T19:43:00Z", "2026-12-01T19:43:0٣Z")) {
      assertThrows(DateTimeException.class, () -> Instant.parse(text), text);
      assertThrows(DateTimeException.class, () -> StoredInstants.parse(text), text);
    }
  }
}
