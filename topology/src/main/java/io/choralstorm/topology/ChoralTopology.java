package io.choralstorm.topology;

import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.bolt.CassandraWriterBolt;
import io.choralstorm.topology.bolt.ParseBolt;
import io.choralstorm.topology.bolt.RealtimeViewBolt;
import io.choralstorm.topology.config.TopologySettings;
import io.choralstorm.topology.deadletter.DeadLetterMapper;
import io.choralstorm.topology.spout.DeviceRecordTranslator;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.kafka.bolt.KafkaBolt;
import org.apache.storm.kafka.bolt.selector.DefaultTopicSelector;
import org.apache.storm.kafka.spout.FirstPollOffsetStrategy;
import org.apache.storm.kafka.spout.KafkaSpout;
import org.apache.storm.kafka.spout.KafkaSpoutConfig;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ChoralStorm topology:
 * <pre>
 * kafka-spout --shuffle--> parse --fields(device_id)--> realtime-view     (Redis)
 *                                 --fields(device_id)--> cassandra-writer  (Cassandra)
 *                                 --"invalid"---------> dead-letter       (Kafka dead-letter topic)
 * </pre>
 * The main class of the shaded jar: {@code java ... io.choralstorm.topology.ChoralTopology [settings.properties]}
 * submits it with {@link StormSubmitter}.
 */
public final class ChoralTopology {
    public static final String SPOUT = "kafka-spout";
    public static final String PARSE = "parse";
    public static final String REALTIME_VIEW = "realtime-view";
    public static final String CASSANDRA_WRITER = "cassandra-writer";
    public static final String DEAD_LETTER = "dead-letter";

    private static final Logger LOG = LoggerFactory.getLogger(ChoralTopology.class);

    private ChoralTopology() {
    }

    /** Builds the topology; logs the effective settings once. */
    public static StormTopology build(TopologySettings s) {
        s.log();
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout(SPOUT, new KafkaSpout<>(spoutConfig(s)), s.get(TopologySettings.SPOUT_PARALLELISM));

        builder.setBolt(PARSE, new ParseBolt(), s.get(TopologySettings.PARSE_PARALLELISM))
            .shuffleGrouping(SPOUT);
        builder.setBolt(REALTIME_VIEW, new RealtimeViewBolt(s), s.get(TopologySettings.VIEW_PARALLELISM))
            .fieldsGrouping(PARSE, new Fields(ParseBolt.DEVICE_ID));
        // Grouped by device: one writer task owns a device's rollup windows (see RollupRefresher).
        builder.setBolt(CASSANDRA_WRITER, new CassandraWriterBolt(s), s.get(TopologySettings.STORAGE_PARALLELISM))
            .fieldsGrouping(PARSE, new Fields(ParseBolt.DEVICE_ID));
        builder.setBolt(DEAD_LETTER, deadLetterBolt(s), s.get(TopologySettings.DEAD_LETTER_PARALLELISM))
            .shuffleGrouping(PARSE, ParseBolt.INVALID_STREAM);
        return builder.createTopology();
    }

    /** The Storm configuration of the topology, including the Kryo registration of {@link Frame}. */
    public static Config config(TopologySettings s) {
        Config config = new Config();
        config.setNumWorkers(s.get(TopologySettings.TOPOLOGY_WORKERS));
        config.setMaxSpoutPending(s.get(TopologySettings.TOPOLOGY_MAX_SPOUT_PENDING));
        config.setMessageTimeoutSecs(s.get(TopologySettings.TOPOLOGY_MESSAGE_TIMEOUT_SECS));
        config.put(Config.TOPOLOGY_PRODUCER_BATCH_SIZE, s.get(TopologySettings.TOPOLOGY_PRODUCER_BATCH_SIZE));
        config.registerSerialization(Frame.class, FrameKryoSerializer.class);
        config.setFallBackOnJavaSerialization(false);
        return config;
    }

    /** Submits the topology; args[0], if given, is a properties file of settings (environment overrides it). */
    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : null;
        TopologySettings settings = TopologySettings.load(file, System.getenv());
        StormSubmitter.submitTopology(settings.topologyName(), config(settings), build(settings));
        LOG.info("[choralstorm] submitted topology {}", settings.topologyName());
    }

    static KafkaSpoutConfig<String, String> spoutConfig(TopologySettings s) {
        return KafkaSpoutConfig.builder(s.kafkaBootstrapServers(), s.kafkaTopic())
            .setProp(ConsumerConfig.GROUP_ID_CONFIG, s.kafkaGroupId())
            .setProcessingGuarantee(KafkaSpoutConfig.ProcessingGuarantee.AT_LEAST_ONCE)
            .setFirstPollOffsetStrategy(FirstPollOffsetStrategy.UNCOMMITTED_EARLIEST)
            .setRecordTranslator(new DeviceRecordTranslator())
            .build();
    }

    static KafkaBolt<String, String> deadLetterBolt(TopologySettings s) {
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafkaBootstrapServers());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaBolt<String, String>()
            .withProducerProperties(producer)
            .withTopicSelector(new DefaultTopicSelector(s.kafkaDeadLetterTopic()))
            .withTupleToKafkaMapper(new DeadLetterMapper());
    }
}
