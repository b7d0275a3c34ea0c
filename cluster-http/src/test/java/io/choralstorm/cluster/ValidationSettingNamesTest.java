package io.choralstorm.cluster;

import static org.junit.Assert.assertEquals;

import io.choralstorm.edge.EdgeSettings;
import io.choralstorm.protocol.ValidationPolicy;
import org.junit.Test;

/** Refusals name the server setting behind a limit; those names must be the settings servers read. */
public class ValidationSettingNamesTest {
    @Test
    public void settingsNamedInRefusalsAreTheEdgeSettings() {
        assertEquals("earliest timestamp", EdgeSettings.MIN_TIMESTAMP_MS, ValidationPolicy.MIN_TIMESTAMP_SETTING);
        assertEquals("future skew", EdgeSettings.MAX_FUTURE_SKEW_MS, ValidationPolicy.FUTURE_SKEW_SETTING);
        assertEquals("batch size", EdgeSettings.MAX_BATCH_FRAMES, ValidationPolicy.BATCH_SIZE_SETTING);
    }
}
