package io.choralstorm.query;

import io.choralstorm.topology.rollup.RollupLevel;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The window length of an aggregate query, such as {@code 1m}, {@code 15m}, {@code 1h} or {@code 1d}:
 * a whole number and a unit ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}). Windows are aligned
 * to the UTC epoch: a window starts at a multiple of its length (a {@code 1d} window is a UTC day, a
 * {@code 7d} window starts on a Thursday, as 1970-01-01 did).
 *
 * @param millis the window length
 * @param text the interval as given
 */
public record AggregateInterval(long millis, String text) {
    /** The longest interval accepted: 10,000 days. */
    public static final long MAX_MS = 10_000L * 86_400_000L;

    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    /** Reads an interval; a clear error names the value and the accepted forms. */
    public static AggregateInterval parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = FORM.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--interval '" + text + "' is not an interval: use a whole number and"
                + " a unit, ms, s, m, h or d (for example 1m, 15m, 1h, 1d)");
        }
        long amount = Long.parseLong(matcher.group(1));
        long millis = amount * unitMillis(matcher.group(2));
        if (amount == 0 || millis > MAX_MS) {
            throw new IllegalArgumentException("--interval '" + text + "' must be from 1ms to 10000d");
        }
        return new AggregateInterval(millis, value);
    }

    /** The start of the window holding {@code epochMs}. */
    public long windowStart(long epochMs) {
        return Math.floorDiv(epochMs, millis) * millis;
    }

    /**
     * The coarsest rollup whose windows tile this interval's windows (its length divides the interval), or
     * null when none does (then only the readings can answer).
     */
    public RollupLevel coarsestRollup() {
        RollupLevel best = null;
        for (RollupLevel level : RollupLevel.values()) {
            if (millis % level.windowMs() == 0) {
                best = level;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return text;
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
    }
}
