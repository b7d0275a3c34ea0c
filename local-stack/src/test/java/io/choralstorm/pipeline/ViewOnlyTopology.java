package io.choralstorm.pipeline;

import io.choralstorm.topology.ChoralTopology;
import io.choralstorm.topology.bolt.ParseBolt;
import io.choralstorm.topology.bolt.RealtimeViewBolt;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.spout.DeviceRecordTranslator;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.kafka.spout.FirstPollOffsetStrategy;
import org.apache.storm.kafka.spout.KafkaSpout;
import org.apache.storm.kafka.spout.KafkaSpoutConfig;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;

/**
 * A second topology beside the stack's, on the same LocalCluster: Kafka spout, ParseBolt and RealtimeViewBolt
 * (the view path only, so that Cassandra and the dead-letter topic see nothing twice), reading the frames topic
 * from its first offset under a consumer group of its own. It stands for a redeploy that replays the topic, or
 * for another cluster's topology updating the same devices' views after a failover.
 */
final class ViewOnlyTopology implements AutoCloseable {
    private static final long COMMIT_PERIOD_MS = 500;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(60);

    private final LocalCluster storm;
    private final String name;
    private final String groupId;
    private final TopologySettings settings;

    private ViewOnlyTopology(LocalCluster storm, String name, String groupId, TopologySettings settings) {
        this.storm = storm;
        this.name = name;
        this.groupId = groupId;
        this.settings = settings;
    }

    /** Submits the topology {@code name} with a new consumer group; the rest of the settings as {@code base}. */
    static ViewOnlyTopology submit(LocalCluster storm, TopologySettings base, String name) throws Exception {
        String group = name + "-" + System.nanoTime();
        TopologySettings settings = base.with(TopologySettings.TOPOLOGY_NAME, name)
            .with(TopologySettings.KAFKA_GROUP_ID, group);
        storm.submitTopology(name, ChoralTopology.config(settings), build(settings));
        return new ViewOnlyTopology(storm, name, group, settings);
    }

    /**
     * True once its consumer group has committed the end offset of every partition of the topic: the spout
     * commits an offset only after its tuple was acked, and the view bolt acks only once the frame is in Redis.
     */
    boolean caughtUp() {
        return caughtUp(settings, groupId);
    }

    /** As {@link #caughtUp()}, for any consumer group reading the frames topic. */
    static boolean caughtUp(TopologySettings settings, String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.kafkaBootstrapServers()));
             KafkaConsumer<String, String> consumer = endOffsetReader(settings)) {
            Set<TopicPartition> partitions = consumer.partitionsFor(settings.kafkaTopic()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return ends.entrySet().stream().allMatch(end -> {
                OffsetAndMetadata offset = committed.get(end.getKey());
                return (offset == null ? 0 : offset.offset()) >= end.getValue();
            });
        } catch (Exception e) {
            throw new AssertionError("cannot read the offsets of consumer group " + group + ": " + e, e);
        }
    }

    /** Kills the topology at once and waits until the cluster no longer lists it. */
    @Override
    public void close() throws Exception {
        KillOptions now = new KillOptions();
        now.set_wait_secs(0);
        storm.killTopologyWithOpts(name, now);
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        while (storm.getClusterInfo().get_topologies().stream().anyMatch(t -> t.get_name().equals(name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("topology " + name + " still listed " + KILL_TIMEOUT.toSeconds()
                    + " s after it was killed");
            }
            Thread.sleep(200);
        }
    }

    private static StormTopology build(TopologySettings settings) {
        KafkaSpoutConfig<String, String> spout = KafkaSpoutConfig
            .builder(settings.kafkaBootstrapServers(), settings.kafkaTopic())
            .setProp(ConsumerConfig.GROUP_ID_CONFIG, settings.kafkaGroupId())
            .setProcessingGuarantee(KafkaSpoutConfig.ProcessingGuarantee.AT_LEAST_ONCE)
            .setFirstPollOffsetStrategy(FirstPollOffsetStrategy.EARLIEST)
            .setOffsetCommitPeriodMs(COMMIT_PERIOD_MS)
            .setRecordTranslator(new DeviceRecordTranslator())
            .build();
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout(ChoralTopology.SPOUT, new KafkaSpout<>(spout), 1);
        builder.setBolt(ChoralTopology.PARSE, new ParseBolt(), 1).shuffleGrouping(ChoralTopology.SPOUT);
        builder.setBolt(ChoralTopology.REALTIME_VIEW, new RealtimeViewBolt(settings), 1)
            .fieldsGrouping(ChoralTopology.PARSE, new Fields(ParseBolt.DEVICE_ID));
        return builder.createTopology();
    }

    private static KafkaConsumer<String, String> endOffsetReader(TopologySettings settings) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
