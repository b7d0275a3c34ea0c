package io.choralstorm.topology.bolt;

import com.datastax.oss.driver.api.core.CqlSession;
import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.rollup.CqlRollupStore;
import io.choralstorm.topology.rollup.RollupFrameStore;
import io.choralstorm.topology.rollup.RollupRefresher;
import io.choralstorm.topology.storage.CassandraSessions;
import io.choralstorm.topology.storage.CqlFrameStore;
import io.choralstorm.topology.storage.FrameStore;
import io.choralstorm.topology.storage.InFlightLimiter;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.apache.storm.Config;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each frame to Cassandra (one raw_data row, one readings row per numeric metric) asynchronously,
 * then recomputes the rollup windows it touched ({@link RollupRefresher}).
 *
 * <p>A tuple is acked once every write of its frame succeeded (rows and rollups), and failed (after
 * reporting the error) if any failed or timed out; the writes are idempotent, so the replay is harmless.
 * While Cassandra is down every write fails fast, the tuples replay with the spout's backoff, and the
 * spout's max pending bounds what is in flight: Kafka keeps the rest. Errors are reported to Storm at
 * most once a second ({@link ThrottledErrorReports}); every failed tuple is failed. Completions are
 * handed back through a {@link CompletionQueue} drained on each execute and on the one-second tick.
 */
public final class CassandraWriterBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CassandraWriterBolt.class);
    private static final int TICK_SECS = 1;
    /** While Cassandra is down every tuple fails: one error report a second is enough. */
    private static final long ERROR_REPORT_INTERVAL_MS = 1_000;

    /** Opens the store in {@code prepare}; serializable so that the bolt can carry it to the workers. */
    public interface StoreFactory extends Serializable {
        FrameStore open(TopologySettings settings);
    }

    private final TopologySettings settings;
    private final StoreFactory storeFactory;
    private transient OutputCollector collector;
    private transient FrameStore store;
    private transient CompletionQueue completions;

    public CassandraWriterBolt(TopologySettings settings) {
        this(settings, new CqlStoreFactory());
    }

    CassandraWriterBolt(TopologySettings settings, StoreFactory storeFactory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory");
    }

    @Override
    public void prepare(Map<String, Object> conf, TopologyContext context, OutputCollector outputCollector) {
        start(outputCollector);
    }

    /** What {@code prepare} does, without needing a topology context. */
    void start(OutputCollector outputCollector) {
        this.collector = outputCollector;
        this.completions = new CompletionQueue(new ThrottledErrorReports("cassandra-writer", ERROR_REPORT_INTERVAL_MS,
            System::currentTimeMillis)::report);
        this.store = storeFactory.open(settings);
        LOG.info("[choralstorm] Cassandra writer started on keyspace {}", settings.cassandraKeyspace());
    }

    @Override
    public void execute(Tuple input) {
        if (!TupleUtils.isTick(input)) {
            write(input);
        }
        completions.drainTo(collector);
    }

    @Override
    public void cleanup() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public Map<String, Object> getComponentConfiguration() {
        return Map.of(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, TICK_SECS);
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        // A sink: nothing is emitted.
    }

    private void write(Tuple input) {
        try {
            Frame frame = (Frame) input.getValueByField(ParseBolt.FRAME);
            store.write(frame).whenComplete((done, error) -> completions.add(input, unwrap(error)));
        } catch (RuntimeException e) {
            completions.add(input, e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Opens a driver session from the settings, prepares the inserts and starts the rollup refresher. */
    static final class CqlStoreFactory implements StoreFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public FrameStore open(TopologySettings s) {
            int timeoutMs = s.get(TopologySettings.CASSANDRA_REQUEST_TIMEOUT_MS);
            InFlightLimiter limiter = new InFlightLimiter(s.get(TopologySettings.STORAGE_MAX_IN_FLIGHT), timeoutMs);
            long ttlSecs = s.get(TopologySettings.STORAGE_TTL_SECS);
            CqlSession session = CassandraSessions.open(s);
            try {
                CqlFrameStore rows = new CqlFrameStore(session, s.cassandraKeyspace(), limiter, ttlSecs);
                CqlRollupStore rollups = new CqlRollupStore(session, s.cassandraKeyspace(), ttlSecs);
                return new RollupFrameStore(rows, RollupRefresher.start(rollups,
                    s.get(TopologySettings.ROLLUP_MAX_IN_FLIGHT), s.get(TopologySettings.ROLLUP_LINGER_MS),
                    "choralstorm-rollups"));
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        }
    }
}
