package io.choralstorm.protocol.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The bodies of corpus cases: files under corpus/bodies/, or bodies too large to keep as files,
 * built here by name ({@code generated:<name>} in the index). Generated bodies are built once.
 */
public final class CorpusBodies {
    /** The edge's default body limit (edge.max.body.bytes): 1 MiB. */
    public static final int BODY_LIMIT = 1 << 20;

    private static final String GENERATED = "generated:";
    private static final Map<String, byte[]> BUILT = new ConcurrentHashMap<>();

    private CorpusBodies() {
    }

    static byte[] load(String ref) {
        if (ref.startsWith(GENERATED)) {
            return BUILT.computeIfAbsent(ref.substring(GENERATED.length()), CorpusBodies::generate).clone();
        }
        try (InputStream in = CorpusBodies.class.getResourceAsStream(Corpus.ROOT + "bodies/" + ref)) {
            if (in == null) {
                throw new IllegalStateException("corpus body " + ref + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading corpus body " + ref + " failed", e);
        }
    }

    private static byte[] generate(String name) {
        switch (name) {
            case "two-megabytes-50k-metrics":
                return frameWithMetrics(50_000);
            case "gzip-bomb-100mb":
                return gzipOfSpaces(100 << 20);
            case "body-over-limit":
                return padded(BODY_LIMIT + 1);
            case "batch-1000":
                return batch(1000);
            case "batch-1001":
                return batch(1001);
            default:
                throw new IllegalArgumentException("no generated corpus body is named " + name);
        }
    }

    /** One frame of {@code count} metrics with 17-digit values: about 40 bytes a metric. */
    public static byte[] frameWithMetrics(int count) {
        StringBuilder json = new StringBuilder(count * 40 + 128);
        json.append("{\"device_id\":\"big-01\",\"device_data\":{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append(String.format("\"metric_%05d\":%d.%016d", i, i, i));
        }
        json.append("},\"device_timestamp\":1700000000000}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code inflated} bytes of spaces (valid leading JSON whitespace) gzip-compressed: about 1000:1. */
    public static byte[] gzipOfSpaces(int inflated) {
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, (byte) ' ');
        ByteArrayOutputStream out = new ByteArrayOutputStream(inflated / 900);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, block.length) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            for (int written = 0; written < inflated; written += block.length) {
                gzip.write(block, 0, Math.min(block.length, inflated - written));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory failed", e);
        }
        return out.toByteArray();
    }

    /** A valid frame followed by spaces up to exactly {@code size} bytes. */
    private static byte[] padded(int size) {
        byte[] frame = "{\"device_id\":\"pad-01\",\"device_data\":{\"t\":1},\"device_timestamp\":1700000000000}"
            .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(frame, 0, body, 0, frame.length);
        return body;
    }

    private static byte[] batch(int frames) {
        StringBuilder json = new StringBuilder(frames * 100);
        json.append('[');
        for (int i = 0; i < frames; i++) {
            json.append(i == 0 ? "" : ",").append("{\"device_id\":\"batch-").append(i % 50)
                .append("\",\"device_data\":{\"temperature\":").append(20 + i % 7).append(".5}")
                .append(",\"device_timestamp\":").append(1_700_000_000_000L + i).append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
