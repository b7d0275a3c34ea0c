package io.choralstorm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.choralstorm.query.AggregateInterval;
import io.choralstorm.query.AggregatePlan;
import io.choralstorm.query.AggregateWindow;
import io.choralstorm.query.Aggregation;
import io.choralstorm.query.RangeQuery;
import io.choralstorm.query.TimeArgument;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Readings of a device from raw storage in the half-open range [from, to), streamed in time order, or
 * their aggregate per window (from the rollups where they cover the range, else from the readings).
 */
@Command(name = "query", description = {"Read a device's stored readings in [--from, --to) from Cassandra,",
    "or with --agg and --interval their aggregate per window (UTC-aligned; from the rollups where they cover",
    "the range). Times without a zone are UTC."})
final class QueryCommand implements Callable<Integer> {
    enum Format { table, csv, json }

    @Option(names = "--device", required = true, description = "Device id.")
    String device;

    @Option(names = "--metric", description = "Metric name; without it, the device's raw frames.")
    String metric;

    @Option(names = "--from", required = true, description = "Start, inclusive: epoch ms, ISO-8601 (UTC unless a "
        + "zone is given), a date, a month or a year.")
    String from;

    @Option(names = "--to", required = true, description = "End, exclusive, in the same forms as --from.")
    String to;

    @Option(names = "--agg", description = "Aggregate per window: avg, min, max, sum or count (needs --metric and "
        + "--interval).")
    Aggregation aggregation;

    @Option(names = "--interval", description = "Window of --agg: a number and ms, s, m, h or d (1m, 15m, 1h, 1d); "
        + "windows start at multiples of it since 1970-01-01T00:00Z.")
    String interval;

    @Option(names = "--no-rollups", description = "Aggregate from the readings only, even where rollups cover "
        + "the range.")
    boolean noRollups;

    @Option(names = "--format", defaultValue = "table",
        description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--limit", defaultValue = "9223372036854775807", description = "At most this many rows "
        + "(windows with --agg).")
    long limit;

    @Mixin
    StoreOptions stores;

    @Override
    public Integer call() throws IOException {
        long fromMs = TimeArgument.parse(from);
        long toMs = TimeArgument.parse(to);
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to
                + " (the range [from, to) is half-open)");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        AggregateInterval window = aggregateInterval();

        try (CqlSession session = stores.cassandra()) {
            RangeQuery query = new RangeQuery(session, stores.keyspace);
            if (window != null) {
                aggregate(query, fromMs, toMs, window);
            } else {
                rows(query, fromMs, toMs);
            }
        }
        return 0;
    }

    /** The interval of an aggregate query, null for plain rows; refuses half-given or misplaced options. */
    private AggregateInterval aggregateInterval() {
        if (aggregation == null && interval == null) {
            return null;
        }
        if (aggregation == null || interval == null) {
            throw new IllegalArgumentException("--agg and --interval go together, e.g. --agg avg --interval 1h");
        }
        if (metric == null) {
            throw new IllegalArgumentException("--agg needs --metric: raw frames have no single value to aggregate");
        }
        return AggregateInterval.parse(interval);
    }

    private void rows(RangeQuery query, long fromMs, long toMs) throws IOException {
        try (RowPrinter printer = new RowPrinter(format, System.out, metric != null)) {
            long rows = metric != null
                ? query.readings(device, metric, fromMs, toMs, limit,
                    r -> printer.reading(r.deviceTimestamp(), r.value(), r.text()))
                : query.frames(device, fromMs, toMs, limit,
                    f -> printer.frame(f.deviceTimestamp(), f.deviceData(), f.receivedAt()));
            printer.finish(rows);
        }
    }

    private void aggregate(RangeQuery query, long fromMs, long toMs, AggregateInterval window) throws IOException {
        boolean useRollups = !noRollups;
        String sources = RangeQuery.plan(fromMs, toMs, window, useRollups).stream()
            .map(AggregatePlan.Segment::table).distinct().collect(Collectors.joining(", "));
        try (RowPrinter printer = new RowPrinter(format, System.out, Shape.WINDOWS, aggregation)) {
            long windows = query.aggregate(device, metric, fromMs, toMs, window, useRollups, limit, printer::window);
            printer.finish(windows, "; " + aggregation + " per " + window + " from " + sources);
        }
    }

    /** What a printed row is. */
    enum Shape { READINGS, FRAMES, WINDOWS }

    /** Prints rows as they stream in, in one of the three formats. */
    static final class RowPrinter implements AutoCloseable {
        private final Format format;
        private final PrintStream out;
        private final Shape shape;
        private final Aggregation aggregation;
        private final JsonGenerator json;

        /** A printer of readings ({@code readings}) or raw frames. */
        RowPrinter(Format format, PrintStream out, boolean readings) throws IOException {
            this(format, out, readings ? Shape.READINGS : Shape.FRAMES, null);
        }

        RowPrinter(Format format, PrintStream out, Shape shape, Aggregation aggregation) throws IOException {
            this.format = format;
            this.out = out;
            this.shape = shape;
            this.aggregation = aggregation;
            this.json = format == Format.json
                ? new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out) : null;
            header();
        }

        private void header() throws IOException {
            if (format == Format.json) {
                json.writeStartArray();
            } else if (format == Format.csv) {
                out.println(switch (shape) {
                    case READINGS -> "device_timestamp,time,value";
                    case FRAMES -> "device_timestamp,time,device_data,received_at";
                    case WINDOWS -> "window_start,time,value,count";
                });
            } else {
                out.println(switch (shape) {
                    case READINGS -> String.format("%-24s  %13s  %14s", "time (UTC)", "epoch ms", "value");
                    case FRAMES -> String.format("%-24s  %13s  %s", "time (UTC)", "epoch ms", "device_data");
                    case WINDOWS -> String.format("%-24s  %13s  %14s  %10s", "window start (UTC)", "epoch ms",
                        aggregation, "count");
                });
            }
        }

        /** Prints a reading; {@code text}, the value as sent, is not shown (the value is). */
        void reading(long ts, double value, String text) {
            try {
                if (format == Format.json) {
                    json.writeStartObject();
                    json.writeNumberField("device_timestamp", ts);
                    json.writeNumberField("value", value);
                    json.writeEndObject();
                } else if (format == Format.csv) {
                    out.println(ts + "," + Instant.ofEpochMilli(ts) + "," + number(value));
                } else {
                    out.println(String.format("%-24s  %13d  %14s", Instant.ofEpochMilli(ts), ts, number(value)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void window(AggregateWindow window) {
            long start = window.start();
            double value = aggregation.of(window);
            try {
                if (format == Format.json) {
                    json.writeStartObject();
                    json.writeNumberField("window_start", start);
                    if (aggregation == Aggregation.count) {
                        json.writeNumberField("value", window.count());
                    } else {
                        json.writeNumberField("value", value);
                    }
                    json.writeNumberField("count", window.count());
                    json.writeEndObject();
                } else if (format == Format.csv) {
                    out.println(start + "," + Instant.ofEpochMilli(start) + "," + number(value) + ","
                        + window.count());
                } else {
                    out.println(String.format("%-24s  %13d  %14s  %10d", Instant.ofEpochMilli(start), start,
                        number(value), window.count()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void frame(long ts, String data, long receivedAt) {
            try {
                if (format == Format.json) {
                    json.writeStartObject();
                    json.writeNumberField("device_timestamp", ts);
                    json.writeFieldName("device_data");
                    json.writeRawValue(data);
                    json.writeNumberField("received_at", receivedAt);
                    json.writeEndObject();
                } else if (format == Format.csv) {
                    out.println(ts + "," + Instant.ofEpochMilli(ts) + ",\"" + data.replace("\"", "\"\"") + "\","
                        + receivedAt);
                } else {
                    out.println(String.format("%-24s  %13d  %s", Instant.ofEpochMilli(ts), ts, data));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void finish(long rows) throws IOException {
            finish(rows, "");
        }

        /** Closes the JSON array, or prints the row count (and {@code note}) under a table. */
        void finish(long rows, String note) throws IOException {
            if (format == Format.json) {
                json.writeEndArray();
                json.flush();
                out.println();
            } else if (format == Format.table) {
                String unit = shape == Shape.WINDOWS ? "window" : "row";
                out.println("(" + rows + " " + unit + (rows == 1 ? "" : "s") + note + ")");
            }
        }

        private static String number(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%.1f", value)
                : Double.toString(value);
        }

        @Override
        public void close() throws IOException {
            if (json != null) {
                json.close();
            }
            out.flush();
        }
    }
}
