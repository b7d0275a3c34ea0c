package io.choralstorm.topology.view;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Checks, when the view store opens, that the Redis server can run the view script.
 *
 * <p>The script needs Redis {@value #MINIMUM_VERSION}: it writes several hash fields in one HSET (variadic
 * HSET, Redis 4.0.0; HMSET is deprecated and not used); the rest is older (PEXPIRE and EVALSHA with cjson
 * 2.6, variadic ZADD, ZREM and HDEL 2.4). A server that may evict keys (maxmemory with a policy other than
 * noeviction) is accepted with a warning: an evicted seen key would let a replay count a reading again.
 */
public final class RedisServerCheck {
    public static final String MINIMUM_VERSION = "4.0.0";

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerCheck.class);
    private static final String NO_EVICTION = "noeviction";

    private RedisServerCheck() {
    }

    /**
     * Reads INFO from {@code jedis}; throws if the server is too old; returns its version. A server that refuses
     * INFO (an ACL without it) is used with a warning, its version unknown.
     */
    public static String require(UnifiedJedis jedis, String server) {
        Map<String, String> info;
        try {
            info = parse(info(jedis, "server") + "\n" + info(jedis, "memory"));
        } catch (JedisDataException e) {
            LOG.warn("[choralstorm] cannot read the version of the Redis server at {} ({}); the view needs Redis {}"
                + " or newer", server, e.getMessage(), MINIMUM_VERSION);
            return "(version unknown)";
        }
        String version = checkVersion(info, server);
        warnIfEvicting(info, server);
        return version;
    }

    /** The redis_version of {@code info}; throws naming the server, the version, the minimum and the setting. */
    static String checkVersion(Map<String, String> info, String server) {
        String version = info.get("redis_version");
        if (version == null) {
            throw new IllegalStateException("the Redis server at " + server + " (setting redis.url) did not report"
                + " redis_version in INFO server; the real-time view needs Redis " + MINIMUM_VERSION + " or newer");
        }
        if (compare(version, MINIMUM_VERSION) < 0) {
            throw new IllegalStateException("the Redis server at " + server + " is version " + version
                + "; the real-time view needs " + MINIMUM_VERSION + " or newer (its script writes several fields"
                + " with one HSET, added in Redis 4.0.0); upgrade that server or set redis.url to a newer one");
        }
        return version;
    }

    /** Compares dotted versions numerically ("4.0.10" after "4.0.9"); a missing part counts as 0. */
    static int compare(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int difference = Integer.compare(part(left, i), part(right, i));
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    /** The "key:value" lines of an INFO reply. */
    static Map<String, String> parse(String infoText) {
        Map<String, String> fields = new HashMap<>();
        for (String line : infoText.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private static void warnIfEvicting(Map<String, String> info, String server) {
        String policy = info.getOrDefault("maxmemory_policy", NO_EVICTION);
        if (!"0".equals(info.getOrDefault("maxmemory", "0")) && !NO_EVICTION.equals(policy)) {
            LOG.warn("[choralstorm] the Redis server at {} may evict keys (maxmemory {}, maxmemory-policy {}): an"
                + " evicted view or seen key loses statistics or lets a replay count again; use noeviction",
                server, info.get("maxmemory"), policy);
        }
    }

    private static int part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        String digits = parts[i].replaceAll("\\D.*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    private static String info(UnifiedJedis jedis, String section) {
        Object reply = jedis.sendCommand(Protocol.Command.INFO, section);
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
