package io.choralstorm.topology.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class RedisServerCheckTest {
    private static final String SERVER = "redis://cache:6379";

    @Test
    public void versionsCompareNumericallyPartByPart() {
        assertTrue("4.0.10 is after 4.0.9", RedisServerCheck.compare("4.0.10", "4.0.9") > 0);
        assertTrue("3.2.12 is before 4.0.0", RedisServerCheck.compare("3.2.12", "4.0.0") < 0);
        assertEquals("4.0 equals 4.0.0", 0, RedisServerCheck.compare("4.0", "4.0.0"));
        assertTrue("7.0.15 is after 4.0.0", RedisServerCheck.compare("7.0.15", "4.0.0") > 0);
        assertTrue("a suffix is ignored: 6.2.0-rc1", RedisServerCheck.compare("6.2.0-rc1", "6.2.0") == 0);
    }

    @Test
    public void serverOlderThanTheMinimumIsRefusedNamingServerVersionMinimumAndSetting() {
        // given INFO of a Redis 3.2
        Map<String, String> info = RedisServerCheck.parse("# Server\r\nredis_version:3.2.12\r\nredis_mode:x\r\n");

        // when checked, then the error says which server, what version, what is needed and what to change
        IllegalStateException error = assertThrows(IllegalStateException.class,
            () -> RedisServerCheck.checkVersion(info, SERVER));
        assertTrue(error.getMessage(), error.getMessage().contains(SERVER));
        assertTrue(error.getMessage(), error.getMessage().contains("3.2.12"));
        assertTrue(error.getMessage(), error.getMessage().contains("4.0.0 or newer"));
        assertTrue(error.getMessage(), error.getMessage().contains("redis.url"));
    }

    @Test
    public void minimumAndNewerVersionsAreAccepted() {
        for (String version : new String[] {"4.0.0", "5.0.14", "6.2.6", "7.0.15", "7.4.1"}) {
            Map<String, String> info = RedisServerCheck.parse("redis_version:" + version + "\n");
            assertEquals("accepted " + version, version, RedisServerCheck.checkVersion(info, SERVER));
        }
    }

    @Test
    public void infoWithoutAVersionIsRefused() {
        Map<String, String> info = RedisServerCheck.parse("# Server\nredis_mode:standalone\n");
        assertThrows(IllegalStateException.class, () -> RedisServerCheck.checkVersion(info, SERVER));
    }
}
