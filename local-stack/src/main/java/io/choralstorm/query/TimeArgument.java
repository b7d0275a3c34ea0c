package io.choralstorm.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads a point in time given on the command line, as epoch milliseconds (five digits or more),
 * an ISO-8601 date-time with a zone ({@code 2017-01-01T00:00:00Z}, {@code 2017-01-01T01:00+01:00}),
 * an ISO-8601 date-time without a zone (taken as UTC), a date ({@code 2017-01-01}, UTC midnight),
 * a month ({@code 2017-01}) or a year ({@code 2017}), each meaning its first millisecond in UTC.
 */
public final class TimeArgument {
    private TimeArgument() {
    }

    public static long parse(String text) {
        String value = text.trim();
        if (value.matches("-?\\d{5,}")) {
            return Long.parseLong(value);
        }
        try {
            if (value.matches("\\d{4}")) {
                return LocalDate.of(Integer.parseInt(value), 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
            }
            if (value.matches("\\d{4}-\\d{2}")) {
                return YearMonth.parse(value).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            if (value.endsWith("Z") || value.endsWith("z")) {
                return Instant.parse(value.toUpperCase()).toEpochMilli();
            }
            if (value.matches(".*T.*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use epoch milliseconds "
                + "(1700000000000), an ISO-8601 time (2017-01-01T00:00:00Z; without a zone it is UTC), "
                + "a date (2017-01-01), a month (2017-01) or a year (2017)");
        }
    }
}
