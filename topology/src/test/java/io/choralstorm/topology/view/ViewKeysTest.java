package io.choralstorm.topology.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.List;
import org.junit.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

public class ViewKeysTest {
    private final ViewKeys keys = new ViewKeys("choral");

    @Test
    public void everyKeyOfADeviceSharesOneHashTag() {
        // when the keys of device t-01 are named, then each carries {t-01}, so they share a cluster slot
        assertEquals("view", "choral:{t-01}:view", keys.view("t-01"));
        assertEquals("seen", "choral:{t-01}:seen", keys.seen("t-01"));
        assertEquals("window", "choral:{t-01}:win:dht.t", keys.window("t-01", "dht.t"));
        assertEquals("window by value", "choral:{t-01}:winv:dht.t", keys.windowByValue("t-01", "dht.t"));
        assertOneSlot("t-01");
    }

    @Test
    public void deviceIdStartingWithAClosingBraceStillHasOneNonEmptyHashTag() {
        // given ids that would leave "{}" (an empty tag, so each key hashed whole) or hold braces elsewhere
        for (String device : List.of("}x", "}", "}}{", "a}b", "{a}")) {
            // then all the keys of each device map to one cluster slot
            assertOneSlot(device);
        }
        assertNotEquals("'}x' and 'x' have different keys", keys.view("}x"), keys.view("x"));
        assertEquals("the guard character sits inside the braces", "choral:{\u0001}x}:view", keys.view("}x"));
    }

    @Test
    public void channelsAreGlobalAndPerDevice() {
        assertEquals("global channel", "choral:updates", keys.updatesChannel());
        assertEquals("device channel", "choral:updates:t-01", keys.deviceChannel("t-01"));
    }

    private void assertOneSlot(String device) {
        int slot = JedisClusterCRC16.getSlot(keys.view(device));
        for (String key : List.of(keys.seen(device), keys.window(device, "a.b"), keys.windowByValue(device, "z"))) {
            assertEquals("slot of " + key + " (device '" + device + "')", slot, JedisClusterCRC16.getSlot(key));
        }
    }
}
