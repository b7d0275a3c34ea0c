package io.choralstorm.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Where settings come from, lowest precedence first: the defaults of a {@link ConfigDef}, a
 * properties file, environment variables, explicit overrides. A key {@code http.port} is read
 * from the variable {@code CHORAL_HTTP_PORT} (upper case, dots and dashes as underscores).
 */
public final class SettingsSource {
    public static final String ENV_PREFIX = "CHORAL_";

    private final Map<String, String> values = new HashMap<>();

    private SettingsSource() {
    }

    /** Settings from {@code file} (may be null or absent), then from {@code env}, for the keys of {@code def}. */
    public static SettingsSource of(ConfigDef def, Path file, Map<String, String> env) {
        SettingsSource source = new SettingsSource();
        if (file != null && Files.isRegularFile(file)) {
            source.values.putAll(readProperties(file));
        }
        for (String key : def.names()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                source.values.put(key, fromEnv);
            }
        }
        return source;
    }

    /** Settings from the process environment only. */
    public static SettingsSource fromEnvironment(ConfigDef def) {
        return of(def, null, System.getenv());
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Sets one value, overriding the file and the environment. */
    public SettingsSource with(String key, Object value) {
        values.put(key, String.valueOf(value));
        return this;
    }

    /** The raw values, ready for an {@code AbstractConfig} to parse, check and log. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read settings file " + file, e);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).trim()));
        return map;
    }
}
