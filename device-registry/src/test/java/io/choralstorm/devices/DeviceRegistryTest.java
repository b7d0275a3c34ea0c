package io.choralstorm.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.Test;

public class DeviceRegistryTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryDeviceStore store = new InMemoryDeviceStore();
    private final SecretHasher hasher = new SecretHasher(1_000, new SecureRandom());
    private final DeviceRegistry registry = new DeviceRegistry(store, hasher, new SecretGenerator(),
        Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    public void addedDeviceIsStoredWithTheHashOfTheSecretItWasGiven() {
        String secret = registry.add("d1", false);

        DeviceRecord record = registry.find("d1").orElseThrow();
        assertTrue("the returned secret verifies", hasher.matches(secret, record.secret()));
        assertTrue(record.isActive());
        assertEquals(NOW, record.createdAt());
    }

    @Test
    public void activeDeviceIsNotReplacedWithoutRotate() {
        String secret = registry.add("d1", false);

        try {
            registry.add("d1", false);
            fail("an active device must not get a second secret silently");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("--rotate"));
        }
        assertTrue("the first secret still works", hasher.matches(secret, registry.find("d1").orElseThrow().secret()));
    }

    @Test
    public void rotateGivesANewSecretAndTheOldOneStopsWorking() {
        String first = registry.add("d1", false);

        String second = registry.add("d1", true);

        SecretHash stored = registry.find("d1").orElseThrow().secret();
        assertNotEquals(first, second);
        assertTrue(hasher.matches(second, stored));
        assertFalse("the old secret is gone", hasher.matches(first, stored));
    }

    @Test
    public void revokedDeviceIsInactiveAndCanBeRegisteredAgain() {
        registry.add("d1", false);

        assertEquals(DeviceRegistry.Revocation.REVOKED, registry.revoke("d1"));
        assertEquals(DeviceRegistry.Revocation.ALREADY_REVOKED, registry.revoke("d1"));
        assertFalse(registry.find("d1").orElseThrow().isActive());

        String again = registry.add("d1", false);
        DeviceRecord record = registry.find("d1").orElseThrow();
        assertTrue("registered anew", record.isActive());
        assertTrue(hasher.matches(again, record.secret()));
    }

    @Test
    public void revokingAnUnknownDeviceIsAnError() {
        try {
            registry.revoke("nobody");
            fail("an unknown device cannot be revoked");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not registered"));
        }
    }

    @Test
    public void deviceIdsFollowTheProtocolRule() {
        registry.add("cafe\u0301", false);

        assertTrue("stored in NFC, as a frame's device_id", registry.find("caf\u00e9").isPresent());
        for (String bad : List.of("", " padded", "tab\tinside", "x".repeat(129))) {
            try {
                registry.add(bad, false);
                fail("'" + bad + "' must be refused");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("cannot be a device id"));
            }
        }
    }

    @Test
    public void existingFirmwareSecretCanBeRegistered() {
        registry.register("1", "secret", false);

        assertTrue(hasher.matches("secret", registry.find("1").orElseThrow().secret()));
    }

    @Test
    public void listShowsEveryDeviceSortedWithoutSecrets() {
        registry.add("b", false);
        registry.add("a", false);
        registry.revoke("b");

        List<DeviceRecord> devices = registry.list();

        assertEquals("a", devices.get(0).deviceId());
        assertEquals("b", devices.get(1).deviceId());
        assertFalse(devices.get(1).isActive());
        assertFalse("a record prints no hash", devices.get(0).toString().contains("hash"));
    }
}
