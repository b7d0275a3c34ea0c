package io.choralstorm.edge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.cluster.ClusterHttpConfig;
import io.choralstorm.cluster.ClusterHttpServer;
import io.choralstorm.cluster.FramePublisher;
import io.choralstorm.gateway.GatewayConfig;
import io.choralstorm.gateway.IngestGateway;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import io.choralstorm.protocol.corpus.CorpusHttp;
import io.choralstorm.protocol.corpus.MutationRun;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Random mutations of valid frames through the real gateway to a real cluster server (open mode,
 * MockProducer): the gateway and the cluster never disagree on a frame. Every answer is the
 * validator's verdict, whether the gateway refused the body or relayed the cluster's answer, and
 * only valid records reach Kafka. Fewer mutations than the cluster's own test: this one checks
 * the agreement, not the validator.
 */
public class GatewayMutationTest {
    private static final long SEED = Long.getLong("mutation.seed", 8_081L);
    private static final int MUTATIONS = 2_000;

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private MockProducer<String, byte[]> producer;
    private ClusterHttpServer cluster;
    private IngestGateway gateway;

    @Before
    public void startGatewayAndCluster() {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        cluster = new ClusterHttpServer(new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN)),
            new FramePublisher(producer, "choraldatastream"));
        cluster.start();
        gateway = new IngestGateway(new GatewayConfig(Map.of(GatewayConfig.HTTP_PORT, "0",
            GatewayConfig.HTTP_HOST, "127.0.0.1",
            GatewayConfig.CLUSTERS, "http://127.0.0.1:" + cluster.address().getPort())));
        gateway.start();
    }

    @After
    public void stopGatewayAndCluster() {
        gateway.close();
        cluster.close();
    }

    @Test
    public void gatewayAndClusterGiveTheValidatorsVerdictForEveryMutation() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/");

        MutationRun run = new MutationRun(CorpusHttp.client(), endpoint, validator).send(SEED, MUTATIONS, 4);

        assertEquals("answers that broke the contract (first 5)", List.of(), run.failures(5));
        assertTrue("some mutations stay valid: " + run.acceptedFrames(), run.acceptedFrames() > 20);
        List<ProducerRecord<String, byte[]>> records = producer.history();
        assertEquals("records in Kafka = frames accepted", run.acceptedFrames(), records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            assertValid(record.value());
        }
    }

    private void assertValid(byte[] record) {
        try {
            validator.parseRecord(record);
        } catch (FrameException e) {
            throw new AssertionError("an invalid record reached Kafka: " + e.getMessage(), e);
        }
    }
}
