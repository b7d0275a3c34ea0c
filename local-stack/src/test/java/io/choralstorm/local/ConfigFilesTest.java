package io.choralstorm.local;

import static org.junit.Assert.assertEquals;

import io.choralstorm.cluster.ClusterHttpConfig;
import io.choralstorm.gateway.GatewayConfig;
import io.choralstorm.topology.config.Setting;
import io.choralstorm.topology.config.TopologySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.Test;

/**
 * The files in config/ document every setting with its default; they must list exactly the keys the
 * code defines, with the same defaults, so that they never drift from it.
 */
public class ConfigFilesTest {
    private static final Pattern ENTRY = Pattern.compile("^#?([a-z][a-z0-9.]*[a-z0-9])=(.*)$");
    private static final Path CONFIG = Path.of("..", "config");

    @Test
    public void localStackFileListsEveryStackSetting() throws IOException {
        assertEquals(defaults(StackConfig.CONFIG), entries("local-stack.properties"));
    }

    @Test
    public void clusterHttpFileListsEveryClusterSetting() throws IOException {
        assertEquals(defaults(ClusterHttpConfig.CONFIG), entries("cluster-http.properties"));
    }

    @Test
    public void gatewayFileListsEveryGatewaySetting() throws IOException {
        assertEquals(defaults(GatewayConfig.CONFIG), entries("gateway.properties"));
    }

    @Test
    public void topologyFileListsEveryTopologySetting() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (Setting<?> setting : TopologySettings.all()) {
            expected.put(setting.key(), setting.defaultText());
        }
        assertEquals(expected, entries("topology.properties"));
    }

    private static Map<String, String> defaults(ConfigDef def) {
        Map<String, String> expected = new TreeMap<>();
        def.configKeys().forEach((name, key) -> expected.put(name, text(key.defaultValue)));
        return expected;
    }

    private static String text(Object value) {
        if (value instanceof List) {
            return String.join(",", ((List<?>) value).stream().map(String::valueOf).toArray(String[]::new));
        }
        return String.valueOf(value);
    }

    private static Map<String, String> entries(String file) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        for (String line : Files.readAllLines(CONFIG.resolve(file))) {
            Matcher matcher = ENTRY.matcher(line.trim());
            if (matcher.matches()) {
                entries.put(matcher.group(1), matcher.group(2));
            }
        }
        return entries;
    }
}
