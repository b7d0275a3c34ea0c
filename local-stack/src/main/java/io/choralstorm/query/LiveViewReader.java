package io.choralstorm.query;

import io.choralstorm.topology.view.ViewKeys;
import redis.clients.jedis.UnifiedJedis;

/** Reads devices' live views from Redis. */
public final class LiveViewReader {
    private final UnifiedJedis redis;
    private final ViewKeys keys;

    public LiveViewReader(UnifiedJedis redis, String keyPrefix) {
        this.redis = redis;
        this.keys = new ViewKeys(keyPrefix);
    }

    public LiveView read(String deviceId) {
        return LiveView.fromHash(deviceId, redis.hgetAll(keys.view(deviceId)));
    }

    public ViewKeys keys() {
        return keys;
    }
}
