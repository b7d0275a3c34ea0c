package io.choralstorm.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka can take frames right now: a circuit in front of the producer, so that while the
 * brokers are down a request is answered 503 at once instead of waiting for a send that cannot
 * succeed. It opens on an availability failure (a retriable send error, no acknowledgement within
 * the answer timeout, or a failed probe) and closes on an acknowledged send or a successful probe.
 * Without a probe, one request per {@code trialIntervalNanos} is let through while it is open, to
 * find out when Kafka is back.
 */
final class KafkaAvailability {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAvailability.class);

    private final String topic;
    private final LongSupplier nanoClock;
    private final long trialIntervalNanos;
    private final boolean trials;
    /** Null while Kafka is available; otherwise why it is not. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();
    private final AtomicLong nextTrial = new AtomicLong();

    /** A period without Kafka: since when and why (for the log and the 503 answers). */
    private static final class Outage {
        final long sinceNanos;
        final String reason;

        Outage(long sinceNanos, String reason) {
            this.sinceNanos = sinceNanos;
            this.reason = reason;
        }
    }

    KafkaAvailability(String topic, LongSupplier nanoClock, long trialIntervalNanos, boolean trials) {
        this.topic = topic;
        this.nanoClock = nanoClock;
        this.trialIntervalNanos = trialIntervalNanos;
        this.trials = trials;
    }

    boolean available() {
        return outage.get() == null;
    }

    /** True when a request may be sent: Kafka is available, or this request is the next trial. */
    boolean admits() {
        if (outage.get() == null) {
            return true;
        }
        if (!trials) {
            return false;
        }
        long now = nanoClock.getAsLong();
        long next = nextTrial.get();
        return now >= next && nextTrial.compareAndSet(next, now + trialIntervalNanos);
    }

    void succeeded() {
        Outage ended = outage.getAndSet(null);
        if (ended != null) {
            LOG.info("cluster-http: Kafka takes frames for topic {} again after {} ms", topic,
                (nanoClock.getAsLong() - ended.sinceNanos) / 1_000_000);
        }
    }

    void failed(String reason) {
        long now = nanoClock.getAsLong();
        if (outage.compareAndSet(null, new Outage(now, reason))) {
            nextTrial.set(now + trialIntervalNanos);
            LOG.warn("cluster-http: Kafka cannot take frames for topic {} ({}); devices get 503 until it is back",
                topic, reason);
        }
    }
}
