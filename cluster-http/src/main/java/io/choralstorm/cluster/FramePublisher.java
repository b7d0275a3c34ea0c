package io.choralstorm.cluster;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes validated frames to the cluster's topic, keyed by device id, with an idempotent
 * producer and {@code acks=all}. The outcome is reported once for a whole request: success only
 * when Kafka acknowledged every frame, otherwise the first failure. After a failure some frames
 * of a batch may already be in Kafka; the device retries the whole request and the topology
 * writes each (device, device_timestamp) reading once, so a retried batch lands exactly once.
 *
 * <p>In front of the producer sits a {@link KafkaAvailability} circuit, fed by send outcomes and,
 * when built by {@link #create}, by a {@link KafkaProbe}: while Kafka is down, {@link #admits()}
 * is false and nothing is sent.
 */
public final class FramePublisher implements AutoCloseable {
    private static final Duration TRIAL_INTERVAL = Duration.ofSeconds(1);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final KafkaAvailability availability;
    private final KafkaProbe probe;

    /** A publisher without a probe: while Kafka is down, one request a second tries it. */
    public FramePublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
        this.availability = new KafkaAvailability(topic, System::nanoTime, TRIAL_INTERVAL.toNanos(), true);
        this.probe = null;
    }

    private FramePublisher(Producer<String, byte[]> producer, String topic, Admin admin, String bootstrap,
                           Duration probeInterval, Duration probeTimeout) {
        this.producer = producer;
        this.topic = topic;
        this.availability = new KafkaAvailability(topic, System::nanoTime, TRIAL_INTERVAL.toNanos(), false);
        this.probe = new KafkaProbe(admin, bootstrap, topic, probeInterval, probeTimeout, availability);
        probe.start();
    }

    public static FramePublisher create(ClusterHttpConfig config, String clientId) {
        String bootstrap = config.getString(ClusterHttpConfig.KAFKA_BOOTSTRAP_SERVERS);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, config.getInt(ClusterHttpConfig.KAFKA_LINGER_MS));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.getInt(ClusterHttpConfig.KAFKA_MAX_BLOCK_MS));
        int deliveryTimeout = config.getInt(ClusterHttpConfig.KAFKA_DELIVERY_TIMEOUT_MS);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(50, deliveryTimeout - 100));
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 24 * 3600 * 1000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());

        Duration probeTimeout = Duration.ofMillis(config.getInt(ClusterHttpConfig.KAFKA_ANSWER_TIMEOUT_MS));
        Admin admin = Admin.create(probeProperties(bootstrap, clientId + "-probe", probeTimeout));
        return new FramePublisher(producer, config.getString(ClusterHttpConfig.KAFKA_TOPIC), admin, bootstrap,
            Duration.ofMillis(config.getInt(ClusterHttpConfig.KAFKA_PROBE_INTERVAL_MS)), probeTimeout);
    }

    private static Properties probeProperties(String bootstrap, String clientId, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, timeout.toMillis());
        props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, timeout.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return props;
    }

    public String topic() {
        return topic;
    }

    /** True when a request may be sent now; false while Kafka is known to be unavailable. */
    public boolean admits() {
        return availability.admits();
    }

    /** Whether Kafka is taking frames, as far as this server knows. */
    public boolean available() {
        return availability.available();
    }

    /**
     * A request got no acknowledgement within {@code millis}. Without a probe this opens the circuit
     * (the next trial finds out when Kafka is back); with one, the probe decides, so that a moment of
     * slow acknowledgements under load does not refuse every device.
     */
    public void unacknowledgedWithin(long millis) {
        if (probe == null) {
            availability.failed("no acknowledgement within " + millis + " ms");
        }
    }

    /**
     * Sends every frame; {@code outcome} receives null once all are acknowledged, or the first
     * error. Called exactly once. Errors thrown by {@code send} itself (no metadata in time,
     * buffer full) are reported the same way.
     */
    public void publish(List<Frame> frames, Consumer<Exception> outcome) {
        AtomicInteger pending = new AtomicInteger(frames.size());
        AtomicBoolean reported = new AtomicBoolean();
        for (Frame frame : frames) {
            ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, frame.deviceId(), FrameWriter.toRecord(frame));
            try {
                producer.send(record, (metadata, error) -> complete(error, pending, reported, outcome));
            } catch (RuntimeException e) {
                complete(e, pending, reported, outcome);
                return;
            }
        }
    }

    private void complete(Exception error, AtomicInteger pending, AtomicBoolean reported, Consumer<Exception> outcome) {
        if (error != null) {
            if (error instanceof RetriableException) {
                availability.failed(error.toString());
            }
            if (reported.compareAndSet(false, true)) {
                outcome.accept(error);
            }
        } else if (pending.decrementAndGet() == 0 && reported.compareAndSet(false, true)) {
            availability.succeeded();
            outcome.accept(null);
        }
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
        producer.close();
    }
}
