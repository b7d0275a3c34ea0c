package io.choralstorm.topology.view;

import java.io.Serializable;
import java.util.Objects;

/**
 * Names of the Redis keys and channels of the real-time view.
 *
 * <p>Every key of a device carries the device id in braces, {@code <prefix>:{<device>}:...}, so that in a
 * Redis Cluster all of them hash to one slot (the hash tag) and one script can update them atomically.
 * A device id that starts with '}' would make that tag empty, and Redis Cluster would then hash each key
 * whole, to different slots. Such an id is therefore written inside the braces after a U+0001 character,
 * which no device id can contain (the protocol refuses control characters): the tag is never empty and no
 * two devices share a key.
 */
public final class ViewKeys implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String EMPTY_TAG_GUARD = "\u0001";

    private final String prefix;

    public ViewKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public String prefix() {
        return prefix;
    }

    /** Hash of the device's statistics: {@code <prefix>:{<device>}:view}. */
    public String view(String deviceId) {
        return deviceKey(deviceId) + ":view";
    }

    /** Hash of the device timestamps already counted, packed by bucket: {@code <prefix>:{<device>}:seen}. */
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

    /** Channel receiving one device's updates: {@code <prefix>:updates:<device>} (the id as it is). */
    public String deviceChannel(String deviceId) {
        return updatesChannel() + ":" + deviceId;
    }

    private String deviceKey(String deviceId) {
        String tag = deviceId.startsWith("}") ? EMPTY_TAG_GUARD + deviceId : deviceId;
        return prefix + ":{" + tag + "}";
    }
}
