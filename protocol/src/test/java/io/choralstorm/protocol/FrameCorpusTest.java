package io.choralstorm.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import io.choralstorm.protocol.corpus.Corpus;
import io.choralstorm.protocol.corpus.CorpusCase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every corpus case the validator decides alone (corpus/index.tsv), against FrameValidator: the
 * verdict, the code, the field and every batch index. Cases the HTTP edge decides (method, content
 * type, size, gzip) run over HTTP in cluster-http and local-stack.
 */
@RunWith(Parameterized.class)
public class FrameCorpusTest {
    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private final CorpusCase c;

    public FrameCorpusTest(CorpusCase c) {
        this.c = c;
    }

    @Parameters(name = "{0}")
    public static List<Object[]> cases() {
        return Corpus.asParameters(Corpus.load().stream().filter(CorpusCase::decidedByValidator)
            .collect(Collectors.toList()));
    }

    @Test
    public void validatorGivesTheDocumentedVerdict() {
        List<DeviceFrame> frames;
        try {
            frames = validator.parseDeviceBody(c.decodedBody(), System.currentTimeMillis());
        } catch (FrameException e) {
            assertRefusedAsDocumented(e);
            return;
        }

        assertEquals(c.name() + " (" + c.about() + ") was accepted, expected " + c.code(), 202, c.status());
        assertEquals(c.name() + ": frames read", c.frames(), frames.size());
        for (DeviceFrame frame : frames) {
            assertRecordRoundTrips(frame.frame());
        }
    }

    private void assertRefusedAsDocumented(FrameException e) {
        String seen = c.name() + " (" + c.about() + ") refused with " + e.rejections();
        if (c.status() != 400) {
            fail(seen + ", expected " + c.status());
        }
        assertEquals("code of " + seen, c.code(), e.code().wireName());
        if (!CorpusCase.ANY_FIELD.equals(c.field())) {
            assertEquals("field of " + seen, c.field(), e.field());
        }
        List<Integer> indexes = e.rejections().stream().map(FrameRejection::index).filter(i -> i >= 0)
            .collect(Collectors.toList());
        assertEquals("indexes of " + seen, c.indexes(), indexes);
    }

    private void assertRecordRoundTrips(Frame frame) {
        byte[] record = FrameWriter.toRecord(frame);
        try {
            Frame back = validator.parseRecord(record);
            String again = new String(FrameWriter.toRecord(back), StandardCharsets.UTF_8);
            assertEquals(c.name() + ": the Kafka record reads back as the same record",
                new String(record, StandardCharsets.UTF_8), again);
        } catch (FrameException e) {
            fail(c.name() + ": an accepted frame wrote a record that does not re-validate: " + e.getMessage());
        }
        assertNotNull(FrameWriter.dataJson(frame));
    }
}
