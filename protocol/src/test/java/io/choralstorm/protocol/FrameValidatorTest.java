package io.choralstorm.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class FrameValidatorTest {
    private static final long NOW = 1_700_000_100_000L;
    private static final String BASE = "{\"device_id\":\"t-01\",\"user_secret\":\"test-secret\","
        + "\"device_data\":{\"temperature\":21.5},\"device_timestamp\":1700000000000}";

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());

    @Test
    public void baseFrameIsAcceptedWithItsSecretKeptApart() throws Exception {
        DeviceFrame parsed = validator.parseDeviceFrame(bytes(BASE), NOW);

        assertEquals("t-01", parsed.frame().deviceId());
        assertEquals("test-secret", parsed.secret());
        assertEquals(1_700_000_000_000L, parsed.frame().deviceTimestamp());
        assertEquals(NOW, parsed.frame().receivedAt());
        Metric temperature = parsed.frame().metrics().get(0);
        assertEquals("temperature", temperature.name());
        assertEquals(21.5, temperature.number(), 0.0);
        assertEquals("21.5", temperature.text());
    }

    @Test
    public void pocFrameWithNumbersAsStringsIsAccepted() throws Exception {
        String poc = "{\"device_id\": \"1\", \"user_secret\": \"secret\", \"device_data\": {\"temperature\": \"-12\"},"
            + " \"device_timestamp\": 1496000000000}";

        Metric metric = validator.parseDeviceFrame(bytes(poc), NOW).frame().metrics().get(0);

        assertEquals(MetricKind.NUMERIC_STRING, metric.kind());
        assertEquals(-12.0, metric.number(), 0.0);
        assertEquals("-12", metric.text());
    }

    @Test
    public void timestampsInOtherUnitsAreRefusedNamingTheUnit() {
        assertRefused(withTimestamp("1700000000"), ErrorCode.TIMESTAMP_IN_SECONDS, "device_timestamp");
        assertRefused(withTimestamp("1700000000.123"), ErrorCode.TIMESTAMP_NOT_INTEGRAL, "device_timestamp");
        assertRefused(withTimestamp("1700000000000000"), ErrorCode.TIMESTAMP_IN_MICROSECONDS, "device_timestamp");
        assertRefused(withTimestamp("1700000000000000000"), ErrorCode.TIMESTAMP_IN_NANOSECONDS, "device_timestamp");
        assertRefused(withTimestamp("0"), ErrorCode.TIMESTAMP_NOT_POSITIVE, "device_timestamp");
        assertRefused(withTimestamp("-1000"), ErrorCode.TIMESTAMP_NOT_POSITIVE, "device_timestamp");
        assertRefused(withTimestamp("\"1700000000000\""), ErrorCode.WRONG_TYPE, "device_timestamp");
        assertRefused(withTimestamp("99999999999999999999999"), ErrorCode.TIMESTAMP_IN_NANOSECONDS,
            "device_timestamp");
    }

    @Test
    public void integralExponentTimestampIsAccepted() throws Exception {
        Frame frame = validator.parseDeviceFrame(bytes(withTimestamp("1.7e12")), NOW).frame();

        assertEquals(1_700_000_000_000L, frame.deviceTimestamp());
    }

    @Test
    public void timestampFarInTheFutureOrBefore2000IsRefused() {
        assertRefused(withTimestamp(String.valueOf(NOW + 3_600_000L)), ErrorCode.TIMESTAMP_IN_FUTURE,
            "device_timestamp");
        assertRefused(withTimestamp("900000000000"), ErrorCode.TIMESTAMP_TOO_OLD, "device_timestamp");
    }

    @Test
    public void backfilledReadingFromYearsAgoIsAccepted() throws Exception {
        Frame frame = validator.parseDeviceFrame(bytes(withTimestamp("1420070400000")), NOW).frame();

        assertEquals(1_420_070_400_000L, frame.deviceTimestamp());
    }

    @Test
    public void missingTimestampTakesTheReceiveTime() throws Exception {
        String body = "{\"device_id\":\"t-01\",\"device_data\":{\"t\":1}}";

        Frame frame = validator.parseDeviceFrame(bytes(body), NOW).frame();

        assertEquals(NOW, frame.deviceTimestamp());
        assertTrue(frame.timestampAssigned());
    }

    @Test
    public void nonJsonNumbersAreRefusedAndTheStringNanIsNotANumber() throws Exception {
        assertRefused(withData("{\"temperature\":nan}"), ErrorCode.MALFORMED_JSON, "device_data.temperature");
        assertRefused(withData("{\"temperature\":NaN}"), ErrorCode.MALFORMED_JSON, "device_data.temperature");
        assertRefused(withData("{\"temperature\":Infinity}"), ErrorCode.MALFORMED_JSON, "device_data.temperature");
        assertRefused(withData("{\"temperature\":-Infinity}"), ErrorCode.MALFORMED_JSON, "device_data.temperature");
        assertRefused(withData("{\"temperature\":1e400}"), ErrorCode.INVALID_METRIC_VALUE,
            "device_data.temperature");

        Metric nan = validator.parseDeviceFrame(bytes(withData("{\"temperature\":\"nan\"}")), NOW)
            .frame().metrics().get(0);
        assertFalse("the string nan must stay out of statistics", nan.isNumeric());
    }

    @Test
    public void plainDecimalStringsCountAsNumbersAndIdsKeepTheirText() throws Exception {
        List<Metric> metrics = validator.parseDeviceFrame(bytes(withData(
            "{\"a\":\"21.5\",\"b\":\"21,5\",\"serial\":\"010003\",\"hex\":\"2414E4\",\"door\":true}")), NOW)
            .frame().metrics();

        assertEquals(MetricKind.NUMERIC_STRING, metrics.get(0).kind());
        assertEquals(MetricKind.STRING, metrics.get(1).kind());
        assertEquals(MetricKind.STRING, metrics.get(2).kind());
        assertEquals("010003", metrics.get(2).text());
        assertEquals(MetricKind.STRING, metrics.get(3).kind());
        assertEquals(MetricKind.BOOLEAN, metrics.get(4).kind());
    }

    @Test
    public void nestedObjectsAreFlattenedToDottedNames() throws Exception {
        Metric metric = validator.parseDeviceFrame(bytes(withData("{\"dht\":{\"t\":21.5}}")), NOW)
            .frame().metrics().get(0);

        assertEquals("dht.t", metric.name());
    }

    @Test
    public void nestingBeyondTheLimitIsRefused() {
        assertRefused(withData("{\"a\":{\"b\":{\"c\":{\"d\":1}}}}"), ErrorCode.NESTING_TOO_DEEP,
            "device_data.a.b.c");
    }

    @Test
    public void wrongShapesAreRefused() {
        assertRefused(withData("\"oops\""), ErrorCode.WRONG_TYPE, "device_data");
        assertRefused(withData("[1,2]"), ErrorCode.WRONG_TYPE, "device_data");
        assertRefused(withData("{}"), ErrorCode.NO_METRICS, "device_data");
        assertRefused(withData("{\"t\":null}"), ErrorCode.INVALID_METRIC_VALUE, "device_data.t");
        assertRefused(withData("{\"t\":[1]}"), ErrorCode.INVALID_METRIC_VALUE, "device_data.t");
        assertRefused(withData("{\"bad name\":1}"), ErrorCode.INVALID_METRIC_NAME, "device_data.bad name");
        assertRefused("{'device_id':'t-01'}", ErrorCode.MALFORMED_JSON, null);
        assertRefused("\"just a string\"", ErrorCode.NOT_AN_OBJECT, null);
        assertRefused(BASE + " trailing", ErrorCode.MALFORMED_JSON, null);
        assertRefused("{\"device_data\":{\"t\":1}}", ErrorCode.MISSING_FIELD, "device_id");
        assertRefused("{\"device_id\":\"x\",\"device_data\":{\"t\":1},\"extra\":1}", ErrorCode.UNKNOWN_FIELD,
            "extra");
        assertRefused("{\"device_id\":\"x\",\"device_data\":{\"t\":1},\"received_at\":1}", ErrorCode.UNKNOWN_FIELD,
            "received_at");
    }

    @Test
    public void duplicateKeysAreRefusedAtEveryLevel() {
        assertRefused("{\"device_id\":\"t-01\",\"user_secret\":\"test-secret\",\"device_id\":\"t-02\","
            + "\"device_data\":{\"t\":1}}", ErrorCode.DUPLICATE_KEY, "device_id");
        assertRefused(withData("{\"temperature\":21.5,\"temperature\":99}"), ErrorCode.DUPLICATE_KEY,
            "device_data.temperature");
        assertRefused(withData("{\"a.b\":1,\"a\":{\"b\":2}}"), ErrorCode.DUPLICATE_KEY, "device_data.a.b");
    }

    @Test
    public void deviceIdsAreNormalizedAndControlCharactersRefused() throws Exception {
        String decomposed = "{\"device_id\":\"cafe\\u0301\",\"device_data\":{\"t\":1}}";
        assertEquals("caf\u00e9", validator.parseDeviceFrame(bytes(decomposed), NOW).frame().deviceId());

        assertRefused("{\"device_id\":\"a\\u0000b\",\"device_data\":{\"t\":1}}", ErrorCode.INVALID_DEVICE_ID,
            "device_id");
        assertRefused("{\"device_id\":\"\",\"device_data\":{\"t\":1}}", ErrorCode.INVALID_DEVICE_ID, "device_id");
        assertRefused("{\"device_id\":\" a\",\"device_data\":{\"t\":1}}", ErrorCode.INVALID_DEVICE_ID, "device_id");
        assertRefused("{\"device_id\":\"\\ud800\",\"device_data\":{\"t\":1}}", ErrorCode.INVALID_DEVICE_ID,
            "device_id");
        assertRefused("{\"device_id\":17,\"device_data\":{\"t\":1}}", ErrorCode.WRONG_TYPE, "device_id");
    }

    @Test
    public void invalidUtf8IsRefusedAsMalformed() {
        byte[] body = bytes("{\"device_id\":\"tX\",\"device_data\":{\"t\":1}}");
        body[15] = (byte) 0xC3;
        body[16] = (byte) 0x28;

        FrameException e = refused(body);

        assertEquals(ErrorCode.MALFORMED_JSON, e.code());
    }

    @Test
    public void batchIsAcceptedWhole() throws Exception {
        List<DeviceFrame> frames = validator.parseDeviceBody(bytes("[" + BASE + "," + BASE + "]"), NOW);

        assertEquals(2, frames.size());
    }

    @Test
    public void batchWithBadElementsListsEveryOneByIndex() {
        String bad = withTimestamp("1700000000");
        FrameException e = refused(bytes("[" + BASE + "," + bad + ",\"x\"," + BASE + ","
            + withData("{\"t\":{\"u\":[1,{\"v\":2}]}}") + "]"));

        assertEquals(3, e.rejections().size());
        assertEquals(1, e.rejections().get(0).index());
        assertEquals(ErrorCode.TIMESTAMP_IN_SECONDS, e.rejections().get(0).code());
        assertEquals(2, e.rejections().get(1).index());
        assertEquals(ErrorCode.NOT_AN_OBJECT, e.rejections().get(1).code());
        assertEquals(4, e.rejections().get(2).index());
    }

    @Test
    public void emptyAndOversizedBatchesAreRefused() {
        assertRefused("[]", ErrorCode.EMPTY_BATCH, null);
        FrameValidator small = new FrameValidator(ValidationPolicy.defaults().withMaxBatchSize(2));

        try {
            small.parseDeviceBody(bytes("[" + BASE + "," + BASE + "," + BASE + "]"), NOW);
            fail("a batch over the limit must be refused");
        } catch (FrameException e) {
            assertEquals(ErrorCode.BATCH_TOO_LARGE, e.code());
        }
    }

    @Test
    public void recordRoundTripKeepsValuesAsSentAndDropsTheSecret() throws Exception {
        Frame frame = validator.parseDeviceFrame(bytes(withData(
            "{\"t\":21.50,\"h\":\"40\",\"door\":false,\"dht\":{\"t\":1e2}}")), NOW).frame();

        byte[] record = FrameWriter.toRecord(frame);
        Frame back = validator.parseRecord(record, NOW + 86_400_000L * 30);

        String text = new String(record, StandardCharsets.UTF_8);
        assertFalse("a record must never carry the secret: " + text, text.contains("secret"));
        assertEquals(frame, back);
        assertEquals("{\"t\":21.50,\"h\":\"40\",\"door\":false,\"dht.t\":1e2}", FrameWriter.dataJson(back));
    }

    @Test
    public void recordWithoutReceivedAtTakesNowAndDropsASecret() throws Exception {
        Frame frame = validator.parseRecord(bytes(BASE), NOW);

        assertEquals(NOW, frame.receivedAt());
        assertNull(validator.parseDeviceFrame(bytes(BASE.replace(",\"user_secret\":\"test-secret\"", "")), NOW)
            .secret());
    }

    private String withTimestamp(String ts) {
        return BASE.replace("1700000000000", ts);
    }

    private String withData(String data) {
        return BASE.replace("{\"temperature\":21.5}", data);
    }

    private void assertRefused(String body, ErrorCode code, String field) {
        FrameException e = refused(bytes(body));
        assertEquals("code for " + body, code, e.code());
        assertEquals("field for " + body, field, e.field());
    }

    private FrameException refused(byte[] body) {
        try {
            validator.parseDeviceBody(body, NOW);
        } catch (FrameException e) {
            return e;
        }
        throw new AssertionError("expected a refusal for " + new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
