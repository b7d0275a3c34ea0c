package io.choralstorm.topology.bolt;

import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.view.RedisViewStore;
import io.choralstorm.topology.view.ViewFlusher;
import io.choralstorm.topology.view.ViewKeys;
import io.choralstorm.topology.view.ViewPolicy;
import io.choralstorm.topology.view.ViewStore;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.apache.storm.Config;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * Keeps the real-time view of each device in Redis (see {@link RedisViewStore} and lua/device_view.lua).
 *
 * <p>{@code execute} only queues the frame; a {@link ViewFlusher} thread writes batches, and the tuples
 * come back through a {@link CompletionQueue} that is drained on each execute and on the one-second tick
 * tuple, so ack and fail happen on the executor thread. A failed flush is reported and its tuples failed;
 * their replay is harmless because the script counts each (device, device_timestamp) once. {@code prepare}
 * opens the store, which refuses a Redis older than the script needs ({@link
 * io.choralstorm.topology.view.RedisServerCheck}). Pub/sub subscribers cannot slow a flush: PUBLISH never
 * waits for them (docs/realtime-view.md).
 */
public final class RealtimeViewBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeViewBolt.class);
    private static final int TICK_SECS = 1;

    /** Opens the store in {@code prepare}; serializable so that the bolt can carry it to the workers. */
    public interface StoreFactory extends Serializable {
        ViewStore open(TopologySettings settings);
    }

    private final TopologySettings settings;
    private final StoreFactory storeFactory;
    private transient OutputCollector collector;
    private transient ViewStore store;
    private transient ViewFlusher<Tuple> flusher;
    private transient CompletionQueue completions;

    public RealtimeViewBolt(TopologySettings settings) {
        this(settings, new RedisStoreFactory());
    }

    RealtimeViewBolt(TopologySettings settings, StoreFactory storeFactory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory");
    }

    @Override
    public void prepare(Map<String, Object> conf, TopologyContext context, OutputCollector outputCollector) {
        start(outputCollector, "choral-view-flusher-" + context.getThisTaskId());
    }

    /** What {@code prepare} does, without needing a topology context. */
    void start(OutputCollector outputCollector, String flusherName) {
        this.collector = outputCollector;
        this.completions = new CompletionQueue();
        this.store = storeFactory.open(settings);
        this.flusher = new ViewFlusher<>(store, settings.get(TopologySettings.VIEW_BATCH_MAX), completions::add,
            flusherName);
        flusher.start();
        LOG.info("[choralstorm] {} started; view keys {}:{<device>}:view", flusherName, settings.redisKeyPrefix());
    }

    @Override
    public void execute(Tuple input) {
        if (!flusher.isAlive()) {
            throw new IllegalStateException("the view flusher thread died; restarting the worker");
        }
        if (!TupleUtils.isTick(input)) {
            flusher.submit((Frame) input.getValueByField(ParseBolt.FRAME), input);
        }
        completions.drainTo(collector);
    }

    @Override
    public void cleanup() {
        if (flusher != null) {
            flusher.close();
        }
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
        // A sink: the view is published by Redis (pub/sub), not by the topology.
    }

    /** Connects to {@code redis.url} with a pooled client. */
    static final class RedisStoreFactory implements StoreFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ViewStore open(TopologySettings s) {
            JedisPooled jedis = new JedisPooled(s.redisUrl(), s.get(TopologySettings.REDIS_TIMEOUT_MS));
            ViewPolicy policy = new ViewPolicy(s.get(TopologySettings.VIEW_WINDOW_MS),
                s.get(TopologySettings.VIEW_DEDUP_HORIZON_MS), s.get(TopologySettings.VIEW_IDLE_EXPIRY_MS));
            String server = TopologySettings.REDIS_URL.display(s.get(TopologySettings.REDIS_URL));
            return new RedisViewStore(jedis, server, new ViewKeys(s.redisKeyPrefix()), policy);
        }
    }
}
