package io.choralstorm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.choralstorm.query.RangeQuery;
import io.choralstorm.query.TimeArgument;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Readings of a device from raw storage in the half-open range [from, to), streamed in time order. */
@Command(name = "query", description = "Read a device's stored readings in [--from, --to) from Cassandra.")
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

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--limit", defaultValue = "9223372036854775807", description = "At most this many rows.")
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
        try (CqlSession session = stores.cassandra(); RowPrinter printer = new RowPrinter(format, System.out,
                metric != null)) {
            RangeQuery query = new RangeQuery(session, stores.keyspace);
            long rows = metric != null
                ? query.readings(device, metric, fromMs, toMs, limit,
                    r -> printer.reading(r.deviceTimestamp(), r.value(), r.text()))
                : query.frames(device, fromMs, toMs, limit,
                    f -> printer.frame(f.deviceTimestamp(), f.deviceData(), f.receivedAt()));
            printer.finish(rows);
        }
        return 0;
    }

    /** Prints rows as they stream in, in one of the three formats. */
    static final class RowPrinter implements AutoCloseable {
        private final Format format;
        private final PrintStream out;
        private final boolean readings;
        private final JsonGenerator json;

        RowPrinter(Format format, PrintStream out, boolean readings) throws IOException {
            this.format = format;
            this.out = out;
            this.readings = readings;
            this.json = format == Format.json
                ? new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out) : null;
            header();
        }

        private void header() throws IOException {
            if (format == Format.json) {
                json.writeStartArray();
            } else if (format == Format.csv) {
                out.println(readings ? "device_timestamp,time,value" : "device_timestamp,time,device_data,received_at");
            } else {
                out.println(readings ? String.format("%-24s  %13s  %14s", "time (UTC)", "epoch ms", "value")
                    : String.format("%-24s  %13s  %s", "time (UTC)", "epoch ms", "device_data"));
            }
        }

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
            if (format == Format.json) {
                json.writeEndArray();
                json.flush();
                out.println();
            } else if (format == Format.table) {
                out.println("(" + rows + " row" + (rows == 1 ? "" : "s") + ")");
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
