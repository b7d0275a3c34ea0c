package io.choralstorm.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * docs/protocol.md, the contract device authors read, stays true to the code: it names every
 * error code and states each limit with the value the code uses, and every frame it shows as JSON
 * is accepted.
 */
public class ProtocolDocumentTest {
    /** The codes the HTTP edge, the authentication and the gateway answer with (defined outside protocol). */
    private static final List<String> EDGE_CODES = List.of("malformed_gzip", "body_unreadable",
        "invalid_authorization", "unauthorized", "not_found", "method_not_allowed", "body_too_large",
        "unsupported_media_type", "unsupported_encoding", "rate_limited", "kafka_unavailable",
        "registry_unavailable", "no_cluster_available", "cluster_timeout");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    private final String document = read(Path.of("..", "docs", "protocol.md"));

    @Test
    public void everyErrorCodeIsDocumented() {
        for (ErrorCode code : ErrorCode.values()) {
            String named = "`" + code.wireName() + "`";
            assertTrue("docs/protocol.md does not name " + code.wireName(), document.contains(named));
        }
        for (String code : EDGE_CODES) {
            assertTrue("docs/protocol.md does not name " + code, document.contains("`" + code + "`"));
        }
    }

    @Test
    public void limitsAreDocumentedWithTheValuesTheCodeUses() {
        ValidationPolicy policy = ValidationPolicy.defaults();

        assertDocumented("1 to " + policy.maxDeviceIdLength() + " characters after NFC");
        assertDocumented("the device's secret, 1 to " + policy.maxSecretLength() + " characters");
        assertDocumented("At most " + policy.maxMetrics() + " metrics per frame");
        assertDocumented("holds at most " + policy.maxMetricNameLength() + " characters");
        assertDocumented("A string holds at most " + policy.maxStringValueLength() + " characters");
        assertDocumented("A number is written in at most " + policy.maxNumberLength() + " characters");
        assertDocumented(MetricValues.MAX_NUMERIC_STRING_LENGTH + " characters at most");
        assertDocumented("nests at most " + policy.maxNestingDepth() + " objects deep");
        assertDocumented("JSON nests at most " + policy.maxJsonDepth() + " levels");
        assertDocumented("1 to " + policy.maxBatchSize() + " frames (setting `" + ValidationPolicy.BATCH_SIZE_SETTING);
        assertDocumented(grouped(policy.minTimestampMs()) + "; setting `" + ValidationPolicy.MIN_TIMESTAMP_SETTING);
        assertDocumented(grouped(policy.maxFutureSkewMs()) + " ms; setting `" + ValidationPolicy.FUTURE_SKEW_SETTING);
        assertDocumented("below " + grouped(TimestampRules.SECONDS_CEILING) + " (1e11)");
        assertEquals("microseconds from 1e14", 100_000_000_000_000L, TimestampRules.MICROS_FLOOR);
        assertEquals("nanoseconds from 1e17", 100_000_000_000_000_000L, TimestampRules.NANOS_FLOOR);
        assertDocumented("from 1e14 to below 1e17");
        assertDocumented("1 MiB (1,048,576 bytes, setting `edge.max.body.bytes`)");
    }

    @Test
    public void everyJsonFrameOfTheDocumentIsAccepted() throws Exception {
        FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
        List<String> frames = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(document);
        while (block.find()) {
            frames.add(block.group(1));
        }

        assertTrue("the document shows frames", frames.size() >= 2);
        for (String frame : frames) {
            validator.parseDeviceBody(frame.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        }
    }

    private void assertDocumented(String phrase) {
        assertTrue("docs/protocol.md does not say: " + phrase, document.contains(phrase));
    }

    private static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("docs/protocol.md is not readable from " + path.toAbsolutePath(), e);
        }
    }
}
