package io.choralstorm.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.corpus.CorpusBodies;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/**
 * What a refusal says: the field, the rule, the value seen and what to send instead, never the
 * secret; and the rules whose effect a status code alone does not show.
 */
public class RefusalMessagesTest {
    private static final long NOW = 1_700_000_100_000L;
    private static final String BASE = "{\"device_id\":\"t-01\",\"user_secret\":\"test-secret\","
        + "\"device_data\":{\"temperature\":21.5},\"device_timestamp\":1700000000000}";

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());

    @Test
    public void timestampInSecondsSaysWhatToSendInstead() {
        String message = refused(BASE.replace("1700000000000", "1700000000")).primary().message();

        assertTrue(message, message.contains("1700000000 looks like epoch seconds"));
        assertTrue(message, message.contains("(1700000000000)"));
    }

    @Test
    public void wrongTypeNamesTheValueSeen() {
        String message = refused(BASE.replace("\"t-01\"", "17")).primary().message();

        assertTrue(message, message.contains("the number 17"));
        assertTrue(message, message.contains("double quotes"));
    }

    @Test
    public void limitsAreNamedWithTheValueSeen() {
        String number = refused(withData("{\"t\":" + "1".repeat(65) + "}")).primary().message();
        String text = refused(withData("{\"t\":\"" + "x".repeat(300) + "\"}")).primary().message();
        String future = refused(BASE.replace("1700000000000", "4102444800000")).primary().message();

        assertTrue(number, number.contains("at most 64 characters, got 65"));
        assertTrue(text, text.contains("at most 256 characters, got 300"));
        assertTrue(future, future.contains("2100-01-01T00:00:00Z") && future.contains("protocol.max.future.skew.ms"));
    }

    @Test
    public void nonFiniteNumbersAreExplainedAtTheirField() {
        FrameException e = refused(withData("{\"dht\":{\"t\":NaN}}"));

        assertEquals("device_data.dht.t", e.field());
        assertTrue(e.primary().message(), e.primary().message().startsWith("NaN and Infinity are not JSON numbers"));
    }

    @Test
    public void malformedFrameInABatchIsNamedByIndex() {
        FrameException e = refused("[" + BASE + "," + BASE + "," + withData("{\"t\":21.5,}") + "]");

        assertEquals(ErrorCode.MALFORMED_JSON, e.code());
        assertEquals(2, e.primary().index());
        assertEquals("device_data", e.field());
    }

    @Test
    public void secretIsNeverRepeatedInARefusal() {
        String tooLong = "S3cr3t".repeat(50);
        String lengthMessage = refused(BASE.replace("test-secret", tooLong)).primary().message();
        String typeMessage = refused(BASE.replace("\"test-secret\"", "987654321")).primary().message();

        assertFalse(lengthMessage, lengthMessage.contains("S3cr3t"));
        assertFalse(typeMessage, typeMessage.contains("987654321"));
    }

    @Test
    public void parserHintsAboutItsOwnSettingsAreLeftOut() {
        String nan = refused(withData("{\"t\":NaN}")).primary().message();
        String digits = refused(withData("{\"t\":" + "1".repeat(1100) + "}")).primary().message();

        assertFalse(nan, nan.contains("JsonReadFeature"));
        assertFalse(digits, digits.contains("StreamReadConstraints"));
        assertTrue(digits, digits.contains("exceeds the maximum allowed (1000)"));
    }

    @Test
    public void twoMegabyteFrameIsRefusedByTheValidatorAsWell() {
        FrameException e = refused(new String(CorpusBodies.frameWithMetrics(50_000), StandardCharsets.UTF_8));

        assertEquals("behind the edge's 413, the validator still bounds the metrics", ErrorCode.TOO_MANY_METRICS,
            e.code());
    }

    @Test
    public void numberTooSmallForADoubleCountsAsZeroAndKeepsItsText() throws Exception {
        Metric metric = validator.parseDeviceFrame(bytes(withData("{\"t\":1e-400}")), NOW).frame().metrics().get(0);

        assertEquals(MetricKind.NUMBER, metric.kind());
        assertEquals(0.0, metric.number(), 0.0);
        assertEquals("1e-400", metric.text());
    }

    @Test
    public void stringOfDigitsLongerThanTheNumericLimitStaysAString() throws Exception {
        String digits = "1".repeat(MetricValues.MAX_NUMERIC_STRING_LENGTH + 1);

        Metric metric = validator.parseDeviceFrame(bytes(withData("{\"n\":\"" + digits + "\"}")), NOW)
            .frame().metrics().get(0);

        assertEquals(MetricKind.STRING, metric.kind());
    }

    @Test
    public void utf8ByteOrderMarkIsIgnored() throws Exception {
        byte[] body = bytes("\ufeff" + BASE);

        assertEquals("t-01", validator.parseDeviceFrame(body, NOW).frame().deviceId());
    }

    @Test
    public void supplementaryCharactersCountOnceTowardsTheDeviceIdLimit() throws Exception {
        String id = "\ud83c\udf21".repeat(ValidationPolicy.DEFAULT_MAX_DEVICE_ID_LENGTH);

        Frame frame = validator.parseDeviceFrame(bytes(BASE.replace("t-01", id)), NOW).frame();

        assertEquals(id, frame.deviceId());
    }

    private static String withData(String data) {
        return BASE.replace("{\"temperature\":21.5}", data);
    }

    private FrameException refused(String body) {
        try {
            validator.parseDeviceBody(bytes(body), NOW);
        } catch (FrameException e) {
            return e;
        }
        throw new AssertionError("expected a refusal for " + body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
