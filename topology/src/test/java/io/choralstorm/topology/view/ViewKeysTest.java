package io.choralstorm.topology.view;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ViewKeysTest {
    private final ViewKeys keys = new ViewKeys("choral");

    @Test
    public void everyKeyOfADeviceSharesOneHashTag() {
        // when the keys of device t-01 are named, then each carries {t-01}, so they share a cluster slot
        assertEquals("view", "choral:{t-01}:view", keys.view("t-01"));
        assertEquals("seen", "choral:{t-01}:seen", keys.seen("t-01"));
        assertEquals("window", "choral:{t-01}:win:dht.t", keys.window("t-01", "dht.t"));
        assertEquals("window by value", "choral:{t-01}:winv:dht.t", keys.windowByValue("t-01", "dht.t"));
    }

    @Test
    public void channelsAreGlobalAndPerDevice() {
        assertEquals("global channel", "choral:updates", keys.updatesChannel());
        assertEquals("device channel", "choral:updates:t-01", keys.deviceChannel("t-01"));
    }
}
