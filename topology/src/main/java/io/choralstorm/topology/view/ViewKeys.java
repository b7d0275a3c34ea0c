package io.choralstorm.topology.view;

import java.io.Serializable;
import java.util.Objects;

/**
 * Names of the Redis keys and channels of the real-time view.
 *
 * <p>Every key of a device carries the device id in braces, {@code <prefix>:{<device>}:...}, so that
 * in a Redis Cluster all of them hash to one slot and one script can update them atomically.
 */
public final class ViewKeys implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String prefix;

    public ViewKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** Hash of the device's statistics: {@code <prefix>:{<device>}:view}. */
    public String view(String deviceId) {
        return deviceKey(deviceId) + ":view";
    }

    /** Zset of the device timestamps already counted: {@code <prefix>:{<device>}:seen}. */
    public String seen(String deviceId) {
        return deviceKey(deviceId) + ":seen";
    }

    /** Zset of one metric's readings in the moving window by time: {@code <prefix>:{<device>}:win:<metric>}. */
    public String window(String deviceId, String metric) {
        return deviceKey(deviceId) + ":win:" + metric;
    }

    /** Zset of the same readings ordered by value, for window min/max: {@code <prefix>:{<device>}:winv:<metric>}. */
    public String windowByValue(String deviceId, String metric) {
        return deviceKey(deviceId) + ":winv:" + metric;
    }

    /** Channel receiving every device's updates: {@code <prefix>:updates}. */
    public String updatesChannel() {
        return prefix + ":updates";
    }

    /** Channel receiving one device's updates: {@code <prefix>:updates:<device>}. */
    public String deviceChannel(String deviceId) {
        return updatesChannel() + ":" + deviceId;
    }

    private String deviceKey(String deviceId) {
        return prefix + ":{" + deviceId + "}";
    }
}
