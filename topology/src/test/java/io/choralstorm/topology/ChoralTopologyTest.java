package io.choralstorm.topology;

import static io.choralstorm.topology.TestFrames.T;
import static io.choralstorm.topology.TestFrames.bool;
import static io.choralstorm.topology.TestFrames.number;
import static io.choralstorm.topology.TestFrames.numericString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.Frame;
import io.choralstorm.topology.bolt.ParseBolt;
import io.choralstorm.topology.config.TopologySettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.storm.Config;
import org.apache.storm.generated.Bolt;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.generated.Grouping;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.serialization.KryoValuesDeserializer;
import org.apache.storm.serialization.KryoValuesSerializer;
import org.apache.storm.utils.Utils;
import org.junit.Test;

public class ChoralTopologyTest {
    private final TopologySettings settings = TopologySettings.defaults();

    @Test
    public void topologyWiresSpoutParseViewStorageAndDeadLetter() {
        // when the topology is built
        StormTopology topology = ChoralTopology.build(settings);

        // then it has the documented components and groupings
        assertEquals("spouts", Set.of(ChoralTopology.SPOUT), topology.get_spouts().keySet());
        assertEquals("bolts", Set.of(ChoralTopology.PARSE, ChoralTopology.REALTIME_VIEW,
            ChoralTopology.CASSANDRA_WRITER, ChoralTopology.DEAD_LETTER), topology.get_bolts().keySet());
        Map<String, Bolt> bolts = topology.get_bolts();
        assertTrue("parse shuffles from the spout",
            grouping(bolts, ChoralTopology.PARSE, ChoralTopology.SPOUT, Utils.DEFAULT_STREAM_ID).is_set_shuffle());
        assertEquals("view grouped by device", List.of(ParseBolt.DEVICE_ID),
            grouping(bolts, ChoralTopology.REALTIME_VIEW, ChoralTopology.PARSE, Utils.DEFAULT_STREAM_ID).get_fields());
        assertEquals("storage grouped by device", List.of(ParseBolt.DEVICE_ID), grouping(bolts,
            ChoralTopology.CASSANDRA_WRITER, ChoralTopology.PARSE, Utils.DEFAULT_STREAM_ID).get_fields());
        assertTrue("dead letters come from the invalid stream", grouping(bolts, ChoralTopology.DEAD_LETTER,
            ChoralTopology.PARSE, ParseBolt.INVALID_STREAM).is_set_shuffle());
    }

    @Test
    public void configSetsWorkersPendingBatchAndFrameSerializer() {
        Config config = ChoralTopology.config(settings.with(TopologySettings.TOPOLOGY_MAX_SPOUT_PENDING, "777")
            .with(TopologySettings.TOPOLOGY_PRODUCER_BATCH_SIZE, "8"));

        assertEquals("workers", 1, config.get(Config.TOPOLOGY_WORKERS));
        assertEquals("max spout pending", 777, config.get(Config.TOPOLOGY_MAX_SPOUT_PENDING));
        assertEquals("producer batch size", 8, config.get(Config.TOPOLOGY_PRODUCER_BATCH_SIZE));
        assertEquals("no Java serialization fallback", false,
            config.get(Config.TOPOLOGY_FALL_BACK_ON_JAVA_SERIALIZATION));
        assertEquals("Frame registered with its serializer", List.of(Map.of(Frame.class.getName(),
            FrameKryoSerializer.class.getName())), config.get(Config.TOPOLOGY_KRYO_REGISTER));
    }

    @Test
    public void frameCrossesWorkersThroughStormKryoUnchanged() {
        // given Storm's own tuple serialization with the topology's config
        Map<String, Object> conf = new HashMap<>(Utils.readDefaultConfig());
        conf.putAll(ChoralTopology.config(settings));
        Frame sent = TestFrames.frame("t-01", T, T + 9, number("temperature", 21.5), numericString("rh", "40.50"),
            bool("door", false));
        Frame assigned = new Frame("t-02", T, T, true, List.of(number("x", -3)));

        // when a tuple holding frames is serialized and read back
        byte[] bytes = new KryoValuesSerializer(conf).serialize(List.of("t-01", sent, assigned));
        List<Object> received = new KryoValuesDeserializer(conf).deserialize(bytes);

        // then the frames are equal, including kinds, texts and the assigned-timestamp flag
        assertEquals("frame", sent, received.get(1));
        assertEquals("frame with an assigned timestamp", assigned, received.get(2));
        assertTrue("flag kept", ((Frame) received.get(2)).timestampAssigned());
    }

    private static Grouping grouping(Map<String, Bolt> bolts, String bolt, String source, String stream) {
        Grouping grouping = bolts.get(bolt).get_common().get_inputs().get(new GlobalStreamId(source, stream));
        if (grouping == null) {
            throw new AssertionError(bolt + " has no input from " + source + "/" + stream);
        }
        return grouping;
    }
}
