package io.choralstorm.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.corpus.FrameMutator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Random mutations of valid frames straight into the validator: whatever the bytes, it answers a
 * frame list or a FrameException (never another exception), and every frame it accepts travels
 * on as a Kafka record that re-validates to the same record.
 */
public class FrameValidatorMutationTest {
    private static final long SEED = Long.getLong("mutation.seed", 20_240_611L);
    private static final int MUTATIONS = 50_000;
    private static final long NOW = 1_700_000_100_000L;

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());

    @Test
    public void everyMutationIsAnsweredAndEveryAcceptedFrameRoundTrips() {
        FrameMutator mutator = new FrameMutator(SEED);
        List<String> failures = new ArrayList<>();
        int accepted = 0;

        for (int i = 0; i < MUTATIONS && failures.size() < 5; i++) {
            byte[] body = mutator.next();
            try {
                accepted += roundTrip(validator.parseDeviceBody(body, NOW), failures, i);
            } catch (FrameException e) {
                assertTrue("a refusal carries a message", e.primary().message().length() > 0);
            } catch (RuntimeException e) {
                failures.add("mutation " + i + " threw " + e + " for " + text(body));
            }
        }

        assertEquals("seed " + SEED + ": " + failures, List.of(), failures);
        assertTrue("some mutations stay valid, or the test proves little: " + accepted, accepted > MUTATIONS / 50);
        assertTrue("most mutations are refused: " + accepted, accepted < MUTATIONS / 2);
    }

    private int roundTrip(List<DeviceFrame> frames, List<String> failures, int mutation) {
        for (DeviceFrame parsed : frames) {
            byte[] record = FrameWriter.toRecord(parsed.frame());
            try {
                byte[] again = FrameWriter.toRecord(validator.parseRecord(record, NOW));
                if (!text(again).equals(text(record))) {
                    failures.add("mutation " + mutation + " changed on the way back: " + text(record));
                }
            } catch (FrameException e) {
                failures.add("mutation " + mutation + " was accepted but its record is refused (" + e.getMessage()
                    + "): " + text(record));
            }
        }
        return frames.size();
    }

    private static String text(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
