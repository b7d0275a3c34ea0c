package io.choralstorm.cluster;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

public class KafkaAvailabilityTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(SECOND);

    @Test
    public void failureClosesTheDoorAndSuccessOpensIt() {
        KafkaAvailability kafka = new KafkaAvailability("t", nanos::get, SECOND, false);
        assertTrue(kafka.admits());

        kafka.failed("broker gone");

        assertFalse(kafka.available());
        assertFalse("with a probe, nothing is sent while Kafka is down", kafka.admits());
        nanos.addAndGet(10 * SECOND);
        assertFalse("not even much later: the probe decides", kafka.admits());

        kafka.succeeded();
        assertTrue(kafka.admits());
    }

    @Test
    public void withoutAProbeOneRequestPerIntervalTriesKafka() {
        KafkaAvailability kafka = new KafkaAvailability("t", nanos::get, SECOND, true);
        kafka.failed("broker gone");

        assertFalse("no trial before the interval", kafka.admits());
        nanos.addAndGet(SECOND);
        assertTrue("one trial", kafka.admits());
        assertFalse("only one", kafka.admits());
        nanos.addAndGet(SECOND);
        assertTrue("the next interval's trial", kafka.admits());
    }

    @Test
    public void repeatedFailuresKeepTheFirstOutage() {
        KafkaAvailability kafka = new KafkaAvailability("t", nanos::get, SECOND, true);
        kafka.failed("first");
        nanos.addAndGet(SECOND);

        kafka.failed("second");

        assertTrue("a second failure does not push the trial back", kafka.admits());
    }
}
