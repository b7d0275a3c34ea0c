package io.choralstorm.topology.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The view in Redis: one EVALSHA of {@link ViewScript} per device, all devices of a flush in one pipeline.
 * If Redis lost the script (restart, SCRIPT FLUSH), it is loaded again and the affected calls are re-sent;
 * a NOSCRIPT call ran nothing, so re-sending is safe. Opening checks the server's version
 * ({@link RedisServerCheck}).
 */
public final class RedisViewStore implements ViewStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisViewStore.class);

    private final UnifiedJedis jedis;
    private final ViewKeys keys;
    private final ViewScript script;
    private final ViewPolicy policy;

    /**
     * Takes ownership of {@code jedis} (closed by {@link #close}, or here if the server is unfit or the script
     * cannot be loaded). {@code server} names the server in errors (a URL with its password masked).
     */
    public RedisViewStore(UnifiedJedis jedis, String server, ViewKeys keys, ViewPolicy policy) {
        this.jedis = Objects.requireNonNull(jedis, "jedis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.script = ViewScript.load();
        try {
            String version = RedisServerCheck.require(jedis, server);
            loadScript();
            LOG.info("[choralstorm] view store on Redis {} at {}: {}", version, server, policy);
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }

    /** A store whose keys never expire; errors do not name the server's address. */
    public RedisViewStore(UnifiedJedis jedis, ViewKeys keys, long windowMs, long dedupHorizonMs) {
        this(jedis, "(address not given)", keys, new ViewPolicy(windowMs, dedupHorizonMs, 0));
    }

    @Override
    public ViewOutcome apply(List<DeviceFrames> batches) {
        Map<String, RuntimeException> failures = new LinkedHashMap<>();
        long[] counts = new long[3];
        List<DeviceFrames> lostScript = run(batches, counts, failures);

        if (!lostScript.isEmpty()) {
            LOG.info("[choralstorm] Redis no longer knows the view script; loading it again");
            loadScript();
            List<DeviceFrames> stillLost = run(lostScript, counts, failures);
            stillLost.forEach(b -> failures.put(b.deviceId(), new JedisNoScriptException("script lost twice")));
        }
        return new ViewOutcome(counts[0], counts[1], counts[2], failures);
    }

    @Override
    public void close() {
        jedis.close();
    }

    private void loadScript() {
        String sha = jedis.scriptLoad(script.source());
        if (!script.sha1().equals(sha)) {
            throw new IllegalStateException("Redis answered SHA " + sha + " for the view script, expected "
                + script.sha1());
        }
    }

    /** Runs one pipeline; returns the batches that hit NOSCRIPT. */
    private List<DeviceFrames> run(List<DeviceFrames> batches, long[] counts, Map<String, RuntimeException> failures) {
        List<Response<Object>> responses = new ArrayList<>(batches.size());
        try (AbstractPipeline pipeline = jedis.pipelined()) {
            for (DeviceFrames batch : batches) {
                ViewScriptCall call = ViewScriptCall.of(keys, batch, policy);
                responses.add(pipeline.evalsha(script.sha1(), call.keys(), call.args()));
            }
            pipeline.sync();
        }

        List<DeviceFrames> lostScript = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            try {
                addCounts(counts, responses.get(i).get());
            } catch (JedisNoScriptException e) {
                lostScript.add(batches.get(i));
            } catch (JedisDataException e) {
                failures.put(batches.get(i).deviceId(), e);
            }
        }
        return lostScript;
    }

    private static void addCounts(long[] counts, Object reply) {
        List<?> values = (List<?>) reply;
        for (int i = 0; i < counts.length; i++) {
            counts[i] += (Long) values.get(i);
        }
    }
}
