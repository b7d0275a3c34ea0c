package io.choralstorm.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Checks Kafka every {@code interval} and reports to the availability circuit. First a TCP connect
 * to each bootstrap broker: when none accepts one (all stopped), Kafka is down at once, without
 * waiting for a request to time out. Then the topic's metadata (one small request): reachable with
 * a leader for at least one partition, or not. This is what opens the circuit before devices have
 * to wait, and closes it when Kafka is back.
 */
final class KafkaProbe implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_MS = 500;

    private final Admin admin;
    private final List<InetSocketAddress> brokers;
    private final String topic;
    private final Duration interval;
    private final Duration timeout;
    private final KafkaAvailability availability;
    private final ScheduledExecutorService scheduler;

    KafkaProbe(Admin admin, String bootstrapServers, String topic, Duration interval, Duration timeout,
               KafkaAvailability availability) {
        this.admin = admin;
        this.brokers = addresses(bootstrapServers);
        this.topic = topic;
        this.interval = interval;
        this.timeout = timeout;
        this.availability = availability;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "choral-kafka-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void probe() {
        if (brokers.stream().noneMatch(this::acceptsConnections)) {
            availability.failed("no bootstrap broker accepts connections");
            return;
        }
        try {
            TopicDescription description = admin.describeTopics(List.of(topic),
                    new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                .topicNameValues().get(topic)
                .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            boolean led = description.partitions().stream()
                .anyMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
            if (led) {
                availability.succeeded();
            } else {
                availability.failed("no partition of topic " + topic + " has a leader");
            }
        } catch (ExecutionException e) {
            availability.failed("metadata probe: " + e.getCause());
        } catch (TimeoutException e) {
            availability.failed("metadata probe got no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            availability.failed("metadata probe failed: " + e);
        }
    }

    private boolean acceptsConnections(InetSocketAddress broker) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(broker.getHostString(), broker.getPort()),
                (int) Math.min(timeout.toMillis(), CONNECT_TIMEOUT_MS));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<InetSocketAddress> addresses(String bootstrapServers) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String trimmed = server.trim();
            int colon = trimmed.lastIndexOf(':');
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            addresses.add(InetSocketAddress.createUnresolved(host, Integer.parseInt(trimmed.substring(colon + 1))));
        }
        return addresses;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
