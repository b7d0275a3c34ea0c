package io.choralstorm.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Arguments the query command refuses before it connects anywhere (the port given is closed). */
public class QueryCommandTest {
    private static final String NOWHERE = "127.0.0.1:1";

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @Before
    public void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @After
    public void restoreStderr() {
        System.setErr(originalErr);
    }

    @Test
    public void fromAfterToIsAClearErrorWithANonZeroExit() {
        int exit = Choral.execute("query", "--device", "d1", "--from", "2017-01-02", "--to", "2017-01-01",
            "--cassandra", NOWHERE);

        assertEquals("exit code", Choral.EXIT_FAILURE, exit);
        assertTrue("names both times: " + err,
            err.toString().contains("--from 2017-01-02 must be before --to 2017-01-01"));
    }

    @Test
    public void emptyRangeIsRefusedToo() {
        int exit = Choral.execute("query", "--device", "d1", "--from", "1700000000000", "--to", "1700000000000",
            "--cassandra", NOWHERE);

        assertEquals("exit code", Choral.EXIT_FAILURE, exit);
        assertTrue("half-open: " + err, err.toString().contains("half-open"));
    }

    @Test
    public void unreadableTimeIsAClearError() {
        int exit = Choral.execute("query", "--device", "d1", "--from", "yesterday", "--to", "2017",
            "--cassandra", NOWHERE);

        assertEquals("exit code", Choral.EXIT_FAILURE, exit);
        assertTrue("shows the value and the forms: " + err, err.toString().contains("'yesterday' is not a time")
            && err.toString().contains("epoch milliseconds"));
    }

    @Test
    public void aggregationNeedsAnIntervalAndAMetric() {
        int withoutInterval = Choral.execute("query", "--device", "d1", "--metric", "t", "--from", "2017",
            "--to", "2018", "--agg", "avg", "--cassandra", NOWHERE);
        String first = err.toString();
        int withoutMetric = Choral.execute("query", "--device", "d1", "--from", "2017", "--to", "2018",
            "--agg", "avg", "--interval", "1h", "--cassandra", NOWHERE);

        assertEquals("exit without interval", Choral.EXIT_FAILURE, withoutInterval);
        assertTrue("says they go together: " + first, first.contains("--agg and --interval go together"));
        assertEquals("exit without metric", Choral.EXIT_FAILURE, withoutMetric);
        assertTrue("says a metric is needed: " + err, err.toString().contains("--agg needs --metric"));
    }

    @Test
    public void badIntervalAndUnknownAggregationAreRefused() {
        int badInterval = Choral.execute("query", "--device", "d1", "--metric", "t", "--from", "2017", "--to",
            "2018", "--agg", "max", "--interval", "1fortnight", "--cassandra", NOWHERE);
        int badAggregation = Choral.execute("query", "--device", "d1", "--metric", "t", "--from", "2017", "--to",
            "2018", "--agg", "median", "--interval", "1h", "--cassandra", NOWHERE);

        assertEquals("exit on a bad interval", Choral.EXIT_FAILURE, badInterval);
        assertTrue("shows the interval: " + err, err.toString().contains("'1fortnight' is not an interval"));
        assertEquals("usage error on an unknown aggregation", Choral.EXIT_USAGE, badAggregation);
        assertTrue("lists the choices: " + err, err.toString().contains("avg, min, max, sum, count"));
    }
}
