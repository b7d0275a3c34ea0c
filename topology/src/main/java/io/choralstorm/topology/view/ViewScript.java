package io.choralstorm.topology.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Lua script that applies a batch of one device's frames to its view (resource lua/device_view.lua). */
public final class ViewScript {
    static final String RESOURCE = "/lua/device_view.lua";

    private final String source;
    private final String sha1;

    private ViewScript(String source) {
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** Reads the script from the classpath. */
    public static ViewScript load() {
        try (InputStream in = ViewScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("view script " + RESOURCE + " is missing from the classpath");
            }
            return new ViewScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read view script " + RESOURCE, e);
        }
    }

    public String source() {
        return source;
    }

    /** The SHA-1 Redis knows the script by once loaded (EVALSHA). */
    public String sha1() {
        return sha1;
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }
}
