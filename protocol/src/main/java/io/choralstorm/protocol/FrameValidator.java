package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one validator of Choral Protocol frames, used by the gateway, the cluster HTTP server and
 * the topology alike so that they can never disagree on what a frame means.
 *
 * <p>Thread-safe. Two forms are read:
 * <ul>
 *   <li>device bodies: one frame object, or a JSON array of them (a batch), as devices POST them;</li>
 *   <li>Kafka records: the form {@link FrameWriter#toRecord} writes, carrying {@code received_at}
 *       and never a secret. Time bounds are checked against {@code received_at}, so a record
 *       replayed days later is still valid.</li>
 * </ul>
 */
public final class FrameValidator {
    private final ValidationPolicy policy;
    private final JsonFactory jsonFactory;

    public FrameValidator(ValidationPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.jsonFactory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(policy.maxJsonDepth()).build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    }

    public ValidationPolicy policy() {
        return policy;
    }

    /**
     * Reads a device body: one frame object or a batch array, in UTF-8. A batch is validated whole:
     * if any element is refused, the exception lists every refused element by index.
     */
    public List<DeviceFrame> parseDeviceBody(byte[] body, long receivedAt) throws FrameException {
        BodyEncoding.requireUtf8(body);
        try (JsonParser parser = jsonFactory.createParser(body)) {
            try {
                return readBody(parser, receivedAt);
            } catch (JsonProcessingException e) {
                throw JsonFailures.malformed(e, parser);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory body failed", e);
        }
    }

    /** Reads exactly one device frame; a batch array is refused. */
    public DeviceFrame parseDeviceFrame(byte[] body, long receivedAt) throws FrameException {
        List<DeviceFrame> frames = parseDeviceBody(body, receivedAt);
        if (frames.size() != 1) {
            throw new FrameException(ErrorCode.NOT_AN_OBJECT, null, "expected one frame object, got a batch of "
                + frames.size());
        }
        return frames.get(0);
    }

    /** Reads a Kafka record value; a record without {@code received_at} is taken as received now. */
    public Frame parseRecord(byte[] value) throws FrameException {
        return parseRecord(value, System.currentTimeMillis());
    }

    /** Reads a Kafka record value; {@code nowMs} stands for {@code received_at} when the record has none. */
    public Frame parseRecord(byte[] value, long nowMs) throws FrameException {
        BodyEncoding.requireUtf8(value);
        try (JsonParser parser = jsonFactory.createParser(value)) {
            try {
                return readRecord(parser, nowMs);
            } catch (JsonProcessingException e) {
                throw JsonFailures.malformed(e, parser);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory record failed", e);
        }
    }

    private List<DeviceFrame> readBody(JsonParser parser, long receivedAt) throws IOException, FrameException {
        JsonToken first = FrameReader.nextOrFail(parser);
        List<DeviceFrame> frames = first == JsonToken.START_ARRAY
            ? readBatch(parser, receivedAt)
            : List.of(readSingle(parser, first, receivedAt));
        FrameReader.requireEnd(parser);
        return frames;
    }

    private Frame readRecord(JsonParser parser, long nowMs) throws IOException, FrameException {
        JsonToken first = FrameReader.nextOrFail(parser);
        if (first != JsonToken.START_OBJECT) {
            throw notAnObject(parser, first);
        }
        Frame frame = new FrameReader(parser, policy, FrameReader.Mode.RECORD, nowMs).readObject().frame();
        FrameReader.requireEnd(parser);
        return frame;
    }

    private DeviceFrame readSingle(JsonParser parser, JsonToken first, long receivedAt)
            throws IOException, FrameException {
        if (first != JsonToken.START_OBJECT) {
            throw notAnObject(parser, first);
        }
        return new FrameReader(parser, policy, FrameReader.Mode.DEVICE, receivedAt).readObject();
    }

    private List<DeviceFrame> readBatch(JsonParser parser, long receivedAt) throws IOException, FrameException {
        int arrayDepth = parser.getParsingContext().getNestingDepth();
        List<DeviceFrame> frames = new ArrayList<>();
        List<FrameRejection> rejections = new ArrayList<>();
        int index = 0;
        for (JsonToken token = FrameReader.nextOrFail(parser); token != JsonToken.END_ARRAY;
                token = FrameReader.nextOrFail(parser), index++) {
            if (index >= policy.maxBatchSize()) {
                throw new FrameException(ErrorCode.BATCH_TOO_LARGE, null, "a batch holds at most "
                    + policy.maxBatchSize() + " frames (server setting " + ValidationPolicy.BATCH_SIZE_SETTING
                    + "), this one holds more; split it into several requests");
            }
            try {
                frames.add(readSingle(parser, token, receivedAt));
            } catch (FrameException e) {
                for (FrameRejection rejection : e.rejections()) {
                    rejections.add(rejection.atIndex(index));
                }
                FrameReader.skipTo(parser, arrayDepth);
            }
        }
        if (index == 0) {
            throw new FrameException(ErrorCode.EMPTY_BATCH, null, "the batch array is empty; send at least one frame");
        }
        if (!rejections.isEmpty()) {
            throw new FrameException(rejections);
        }
        return frames;
    }

    private static FrameException notAnObject(JsonParser parser, JsonToken token) throws IOException {
        return new FrameException(ErrorCode.NOT_AN_OBJECT, null,
            "a frame must be a JSON object {\"device_id\": ..., \"device_data\": {...}}, got "
                + FrameReader.describe(parser, token));
    }
}
