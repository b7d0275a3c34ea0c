package io.choralstorm.cli;

import io.choralstorm.query.LiveView;
import io.choralstorm.query.LiveViewReader;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** A device's live view from Redis, once or following its updates. */
@Command(name = "live", description = "Show a device's live statistics from Redis.")
final class LiveCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DEVICE", description = "Device id.")
    String deviceId;

    @Option(names = "--json", description = "Print one JSON object (one per update with --watch).")
    boolean json;

    @Option(names = "--watch", description = "Keep printing the view on every update (pub/sub) until Ctrl-C.")
    boolean watch;

    @Mixin
    StoreOptions stores;

    @Override
    public Integer call() {
        try (JedisPooled redis = stores.redis()) {
            LiveViewReader reader = new LiveViewReader(redis, stores.keyPrefix);
            if (watch) {
                return follow(redis, reader);
            }
            LiveView view = reader.read(deviceId);
            if (view.isEmpty()) {
                System.err.println("error: no live view for device '" + deviceId + "' (has it sent a frame?)");
                return Choral.EXIT_FAILURE;
            }
            print(view, System.out);
        }
        return 0;
    }

    /**
     * Subscribes to the device's channel, then prints its view (if it has one) and the whole view again on each
     * update message, until interrupted or disconnected. Reading only once subscribed misses no update.
     */
    private int follow(JedisPooled redis, LiveViewReader reader) {
        try {
            redis.subscribe(new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int subscribedChannels) {
                    LiveView view = reader.read(deviceId);
                    if (!view.isEmpty()) {
                        print(view, System.out);
                    }
                }

                @Override
                public void onMessage(String channel, String message) {
                    print(reader.read(deviceId), System.out);
                }
            }, reader.keys().deviceChannel(deviceId));
        } catch (JedisConnectionException e) {
            System.err.println("error: lost the subscription to " + reader.keys().deviceChannel(deviceId) + " ("
                + e.getMessage() + "); Redis disconnects a subscriber that falls behind by more than its"
                + " client-output-buffer-limit for pubsub");
            return Choral.EXIT_FAILURE;
        }
        return 0;
    }

    private void print(LiveView view, PrintStream out) {
        if (json) {
            out.println(view.toJson().toString());
        } else {
            printTable(view, out);
        }
        out.flush();
    }

    static void printTable(LiveView view, PrintStream out) {
        out.println("Device " + view.deviceId() + ", last seen " + time(view.lastSeen()));
        if (view.staleFrames() > 0) {
            out.println(view.staleFrames() + " deliveries were left out: older than the device's newest reading by"
                + " more than view.dedup.horizon.ms");
        }
        Table numbers = new Table("metric", "current", "at (device time)", "count", "mean", "min", "max",
            "window mean", "window min", "window max", "window n");
        Table others = new Table("metric", "last value", "at (device time)");
        for (Map.Entry<String, Map<String, String>> metric : view.metrics().entrySet()) {
            Map<String, String> s = metric.getValue();
            if (s.containsKey("count")) {
                numbers.row(metric.getKey(), s.get("current"), time(s.get("current_ts")), s.get("count"),
                    round(s.get("mean")), s.get("min"), s.get("max"), round(s.get("win_mean")), s.get("win_min"),
                    s.get("win_max"), s.get("win_count"));
            }
            if (s.containsKey("last")) {
                others.row(metric.getKey(), s.get("last"), time(s.get("last_ts")));
            }
        }
        numbers.print(out);
        if (view.metrics().values().stream().anyMatch(s -> s.containsKey("last"))) {
            out.println();
            others.print(out);
        }
    }

    private static String round(String value) {
        return value == null ? null : String.format(java.util.Locale.ROOT, "%.3f", Double.parseDouble(value));
    }

    private static String time(String epochMs) {
        return epochMs == null ? null : time((long) Double.parseDouble(epochMs));
    }

    private static String time(long epochMs) {
        return epochMs < 0 ? "never" : Instant.ofEpochMilli(epochMs).toString();
    }
}
