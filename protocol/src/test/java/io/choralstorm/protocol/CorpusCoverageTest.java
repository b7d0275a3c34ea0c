package io.choralstorm.protocol;

import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.corpus.Corpus;
import io.choralstorm.protocol.corpus.CorpusCase;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.Test;

/** The corpus keeps covering what the contract promises, as cases are added and removed. */
public class CorpusCoverageTest {
    private final List<CorpusCase> cases = Corpus.load();

    @Test
    public void everyErrorCodeHasACase() {
        Set<String> codes = cases.stream().map(CorpusCase::code).collect(Collectors.toSet());

        for (ErrorCode code : ErrorCode.values()) {
            assertTrue("no corpus case expects " + code.wireName(), codes.contains(code.wireName()));
        }
    }

    @Test
    public void everyRowOfTheDeviceInputsTableHasACase() {
        for (int row : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 10}) {
            String prefix = "r" + row + "-";

            boolean covered = cases.stream().anyMatch(c -> c.name().startsWith(prefix));

            assertTrue("no corpus case for row " + row + " of device-inputs.md", covered);
        }
    }

    @Test
    public void everyDocumentedStatusOfTheEdgeHasACase() {
        Set<Integer> statuses = cases.stream().map(CorpusCase::status).collect(Collectors.toSet());

        for (int status : new int[] {202, 400, 405, 413, 415}) {
            assertTrue("no corpus case expects HTTP " + status, statuses.contains(status));
        }
    }

    @Test
    public void pocFramesAreAcceptedAndTheirKnownMistakesRefused() {
        long accepted = cases.stream().filter(c -> c.name().startsWith("poc-") && c.status() == 202).count();
        long refused = cases.stream().filter(c -> c.name().startsWith("poc-") && c.status() == 400).count();

        assertTrue("POC frames accepted: " + accepted, accepted >= 7);
        assertTrue("POC mistakes refused: " + refused, refused >= 2);
    }
}
