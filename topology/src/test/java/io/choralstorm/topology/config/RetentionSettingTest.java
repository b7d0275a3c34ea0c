package io.choralstorm.topology.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.choralstorm.topology.storage.CqlStatements;
import java.util.Map;
import java.util.Properties;
import org.junit.Test;

public class RetentionSettingTest {

    @Test
    public void rowsAreKeptForeverByDefault() {
        TopologySettings s = TopologySettings.defaults();

        assertEquals("default TTL", 0L, (long) s.get(TopologySettings.STORAGE_TTL_SECS));
        assertTrue("no TTL clause: " + CqlStatements.insertRaw("ks", 0), !CqlStatements.insertRaw("ks", 0)
            .contains("TTL"));
    }

    @Test
    public void reasonableTtlIsWrittenIntoTheInserts() {
        TopologySettings s = load("2592000");

        long ttl = s.get(TopologySettings.STORAGE_TTL_SECS);

        assertEquals("30 days", 2_592_000L, ttl);
        assertTrue("raw insert", CqlStatements.insertRaw("ks", ttl).endsWith(" USING TTL 2592000"));
        assertTrue("reading insert", CqlStatements.insertReading("ks", ttl).endsWith(" USING TTL 2592000"));
    }

    @Test
    public void oneHourAndTwentyYearsAreTheAcceptedBounds() {
        assertEquals("1 hour", 3_600L, (long) load("3600").get(TopologySettings.STORAGE_TTL_SECS));
        assertEquals("20 years", 630_720_000L, (long) load("630720000").get(TopologySettings.STORAGE_TTL_SECS));
    }

    @Test
    public void unreasonableTtlIsRefusedNamingTheKeyTheValueAndTheLimits() {
        for (String bad : new String[] {"-1", "59", "3599", "630720001", "forever", "1.5"}) {
            IllegalArgumentException e = assertThrows("refused: " + bad, IllegalArgumentException.class,
                () -> load(bad));

            String message = e.getMessage();
            assertTrue("names the key: " + message, message.contains("storage.ttl.secs"));
            assertTrue("shows the value: " + message, message.contains("'" + bad + "'"));
            assertTrue("gives the limits: " + message, message.contains("3600") && message.contains("630720000"));
        }
    }

    @Test
    public void statementsRefuseATtlThatSkippedTheSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CqlStatements.insertReading("ks", -5));

        assertTrue("names the setting: " + e.getMessage(), e.getMessage().contains("storage.ttl.secs"));
    }

    private static TopologySettings load(String ttl) {
        Properties p = new Properties();
        p.setProperty("storage.ttl.secs", ttl);
        return TopologySettings.load(p, Map.of());
    }
}
