package io.choralstorm.cluster;

import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes validated frames to the cluster's topic, keyed by device id, with an idempotent
 * producer and {@code acks=all}. The outcome is reported once for a whole request: success only
 * when Kafka acknowledged every frame, otherwise the first failure. After a failure some frames
 * of a batch may already be in Kafka; the device retries the whole request and the topology
 * writes each (device, device_timestamp) reading once, so a retried batch lands exactly once.
 */
public final class FramePublisher implements AutoCloseable {
    private final Producer<String, byte[]> producer;
    private final String topic;

    public FramePublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static FramePublisher create(ClusterHttpConfig config, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(ClusterHttpConfig.KAFKA_BOOTSTRAP_SERVERS));
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
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        return new FramePublisher(producer, config.getString(ClusterHttpConfig.KAFKA_TOPIC));
    }

    public String topic() {
        return topic;
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

    private static void complete(Exception error, AtomicInteger pending, AtomicBoolean reported,
                                 Consumer<Exception> outcome) {
        if (error != null) {
            if (reported.compareAndSet(false, true)) {
                outcome.accept(error);
            }
        } else if (pending.decrementAndGet() == 0 && reported.compareAndSet(false, true)) {
            outcome.accept(null);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
