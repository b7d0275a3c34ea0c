package io.choralstorm.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.choralstorm.query.OrderedPageStream.Part;
import io.choralstorm.topology.rollup.RollupLevel;
import io.choralstorm.topology.storage.TimeBuckets;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Range and aggregate queries over raw storage, in the half-open range [from, to), streamed oldest first.
 * The partitions of the range (one per day bucket, or per year for hour and day rollups) are queried up
 * to {@link #DEFAULT_MAX_IN_FLIGHT} at a time with the async driver, each paged, and their rows passed on
 * in time order ({@link OrderedPageStream}): memory stays bounded whatever the size of the answer.
 */
public final class RangeQuery {
    public static final int DEFAULT_PAGE_SIZE = 5000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;

    private final int pageSize;
    private final OrderedPageStream stream;
    private final PreparedStatement readings;
    private final PreparedStatement frames;
    private final Map<RollupLevel, PreparedStatement> rollups = new EnumMap<>(RollupLevel.class);

    public RangeQuery(CqlSession session, String keyspace) {
        this(session, keyspace, DEFAULT_PAGE_SIZE, DEFAULT_MAX_IN_FLIGHT);
    }

    /** A query reading {@code pageSize} rows a page, with up to {@code maxInFlight} partitions at a time. */
    public RangeQuery(CqlSession session, String keyspace, int pageSize, int maxInFlight) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be >= 1, got " + pageSize);
        }
        this.pageSize = pageSize;
        this.stream = new OrderedPageStream(session, maxInFlight);
        this.readings = session.prepare("SELECT device_timestamp, value, text FROM " + keyspace + ".readings"
            + " WHERE device_id = ? AND metric = ? AND bucket = ? AND device_timestamp >= ? AND device_timestamp < ?"
            + " ORDER BY device_timestamp ASC");
        this.frames = session.prepare("SELECT device_timestamp, device_data, time FROM " + keyspace + ".raw_data"
            + " WHERE device_id = ? AND bucket = ? AND device_timestamp >= ? AND device_timestamp < ?"
            + " ORDER BY device_timestamp ASC");
        for (RollupLevel level : RollupLevel.values()) {
            rollups.put(level, session.prepare("SELECT window_start, value_count, value_sum, value_min, value_max"
                + " FROM " + keyspace + "." + level.table()
                + " WHERE device_id = ? AND metric = ? AND bucket = ? AND window_start >= ? AND window_start < ?"
                + " ORDER BY window_start ASC"));
        }
    }

    /** Streams one metric's readings; returns how many were passed to {@code sink} (at most {@code limit}). */
    public long readings(String device, String metric, long from, long to, long limit, Consumer<StoredReading> sink) {
        checkRange(from, to, limit);
        if (limit == 0) {
            return 0;
        }
        Iterator<Part<StoredReading>> parts = lazily(TimeBuckets.bucketsBetween(from, to), bucket -> new Part<>(
            readings.bind(device, metric, bucket, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))
                .setPageSize(pageSize), RangeQuery::reading));
        return stream.stream(parts, limited(limit, sink));
    }

    /** Streams a device's raw frames; returns how many were passed to {@code sink} (at most {@code limit}). */
    public long frames(String device, long from, long to, long limit, Consumer<StoredFrame> sink) {
        checkRange(from, to, limit);
        if (limit == 0) {
            return 0;
        }
        Iterator<Part<StoredFrame>> parts = lazily(TimeBuckets.bucketsBetween(from, to), bucket -> new Part<>(
            frames.bind(device, bucket, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)).setPageSize(pageSize),
            RangeQuery::frame));
        return stream.stream(parts, limited(limit, sink));
    }

    /**
     * Streams one metric's readings folded into the windows of {@code interval}, oldest first: windows are
     * aligned to the UTC epoch and hold the readings inside [from, to) (so the first and last window may
     * be partial); empty windows are left out. With {@code useRollups}, the parts of the range the rollups
     * cover whole are read from them ({@link AggregatePlan}). Returns the number of windows passed on.
     */
    public long aggregate(String device, String metric, long from, long to, AggregateInterval interval,
                          boolean useRollups, long limit, Consumer<AggregateWindow> sink) {
        checkRange(from, to, limit);
        if (limit == 0) {
            return 0;
        }
        List<AggregatePlan.Segment> plan = plan(from, to, interval, useRollups);
        WindowAggregator windows = new WindowAggregator(interval, sink);
        stream.stream(new PartIterator(device, metric, plan), part -> {
            windows.add(part);
            return windows.emitted() < limit;
        });
        if (windows.emitted() < limit) {
            windows.finish();
        }
        return windows.emitted();
    }

    /** The segments {@link #aggregate} reads, in order. */
    public static List<AggregatePlan.Segment> plan(long from, long to, AggregateInterval interval,
                                                   boolean useRollups) {
        return AggregatePlan.plan(from, to, useRollups ? interval.coarsestRollup() : null);
    }

    /** The most rows this query held fetched but not yet passed on, over all its streams so far. */
    public long peakBufferedRows() {
        return stream.peakBufferedRows();
    }

    private static StoredReading reading(Row row) {
        return new StoredReading(row.getInstant(0).toEpochMilli(), row.getDouble(1), row.getString(2));
    }

    private static StoredFrame frame(Row row) {
        Instant received = row.getInstant(2);
        return new StoredFrame(row.getInstant(0).toEpochMilli(), row.getString(1),
            received == null ? -1 : received.toEpochMilli());
    }

    private static AggregateWindow readingPart(Row row) {
        return AggregateWindow.reading(row.getInstant(0).toEpochMilli(), row.getDouble(1));
    }

    private static AggregateWindow rollupPart(Row row) {
        return new AggregateWindow(row.getInstant(0).toEpochMilli(), row.getLong(1), row.getDouble(2),
            row.getDouble(3), row.getDouble(4));
    }

    /** The parts of {@code buckets}, each built only when the stream asks for it. */
    private static <T> Iterator<Part<T>> lazily(List<Integer> buckets, IntFunction<Part<T>> part) {
        Iterator<Integer> each = buckets.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return each.hasNext();
            }

            @Override
            public Part<T> next() {
                return part.apply(each.next());
            }
        };
    }

    private static <T> Predicate<T> limited(long limit, Consumer<T> sink) {
        long[] passed = {0};
        return row -> {
            sink.accept(row);
            passed[0]++;
            return passed[0] < limit;
        };
    }

    private static void checkRange(long from, long to, long limit) {
        if (from >= to) {
            throw new IllegalArgumentException("--from (" + Instant.ofEpochMilli(from) + ") must be before --to ("
                + Instant.ofEpochMilli(to) + "); the range [from, to) is half-open");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
    }

    /** The statements of a plan, segment by segment and bucket by bucket, built as the stream asks. */
    private final class PartIterator implements Iterator<Part<AggregateWindow>> {
        private final String device;
        private final String metric;
        private final Iterator<AggregatePlan.Segment> segments;
        private AggregatePlan.Segment segment;
        private Iterator<Integer> buckets = Collections.emptyIterator();

        PartIterator(String device, String metric, List<AggregatePlan.Segment> plan) {
            this.device = device;
            this.metric = metric;
            this.segments = plan.iterator();
        }

        @Override
        public boolean hasNext() {
            while (!buckets.hasNext() && segments.hasNext()) {
                segment = segments.next();
                buckets = segment.level() == null ? TimeBuckets.bucketsBetween(segment.from(), segment.to()).iterator()
                    : segment.level().bucketsBetween(segment.from(), segment.to()).iterator();
            }
            return buckets.hasNext();
        }

        @Override
        public Part<AggregateWindow> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int bucket = buckets.next();
            Instant from = Instant.ofEpochMilli(segment.from());
            Instant to = Instant.ofEpochMilli(segment.to());
            if (segment.level() == null) {
                return new Part<>(readings.bind(device, metric, bucket, from, to)
                    .setPageSize(pageSize), RangeQuery::readingPart);
            }
            return new Part<>(rollups.get(segment.level()).bind(device, metric, bucket, from, to)
                .setPageSize(pageSize), RangeQuery::rollupPart);
        }
    }
}
