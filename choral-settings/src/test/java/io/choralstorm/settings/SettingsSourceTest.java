package io.choralstorm.settings;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.Test;

public class SettingsSourceTest {
    private static final ConfigDef DEF = new ConfigDef()
        .define("http.port", ConfigDef.Type.INT, 8082, ConfigDef.Importance.HIGH, "port")
        .define("kafka.topic", ConfigDef.Type.STRING, "t", ConfigDef.Importance.HIGH, "topic");

    @Test
    public void environmentOverridesTheFileAndExplicitValuesOverrideBoth() throws Exception {
        Path file = Files.createTempFile("choral", ".properties");
        Files.writeString(file, "http.port = 9000\nkafka.topic=from-file\n");

        Map<String, String> values = SettingsSource.of(DEF, file, Map.of("CHORAL_HTTP_PORT", "9100"))
            .with("kafka.topic", "explicit")
            .values();

        assertEquals("9100", values.get("http.port"));
        assertEquals("explicit", values.get("kafka.topic"));
        Files.delete(file);
    }

    @Test
    public void variablesForUnknownKeysAreIgnoredAndAMissingFileIsNoError() {
        Map<String, String> values = SettingsSource.of(DEF, Path.of("/nonexistent/choral.properties"),
            Map.of("CHORAL_OTHER_KEY", "1")).values();

        assertFalse("an unrelated variable must not become a setting", values.containsKey("other.key"));
        assertEquals("CHORAL_KAFKA_TOPIC", SettingsSource.envName("kafka.topic"));
    }
}
