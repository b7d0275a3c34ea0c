package io.choralstorm.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.ValidationPolicy;
import io.choralstorm.protocol.corpus.CorpusHttp;
import io.choralstorm.protocol.corpus.MutationRun;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Ten thousand random mutations of valid frames (FrameMutator, seeded: -Dmutation.seed explores
 * others) POSTed over real HTTP, four at a time on kept-alive connections, to a real cluster server
 * in open mode whose Kafka is Kafka's MockProducer. None gets a 5xx; each gets 202 or a 4xx with a
 * JSON error body, the verdict the validator library gives for the same bytes; and the records in
 * Kafka are exactly the accepted frames, every one valid.
 */
public class ClusterHttpMutationTest {
    private static final long SEED = Long.getLong("mutation.seed", 4_662_017L);
    private static final int MUTATIONS = 10_000;
    private static final int IN_FLIGHT = 4;

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private MockProducer<String, byte[]> producer;
    private ClusterHttpServer server;

    @Before
    public void startServer() {
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        ClusterHttpConfig config = new ClusterHttpConfig(Map.of(ClusterHttpConfig.HTTP_PORT, "0",
            ClusterHttpConfig.AUTH_MODE, ClusterHttpConfig.AUTH_OPEN));
        server = new ClusterHttpServer(config, new FramePublisher(producer, "choraldatastream"));
        server.start();
    }

    @After
    public void stopServer() {
        server.close();
    }

    @Test
    public void noMutationGetsA5xxAndNothingInvalidReachesKafka() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/frames");

        MutationRun run = new MutationRun(CorpusHttp.client(), endpoint, validator).send(SEED, MUTATIONS, IN_FLIGHT);

        assertEquals("answers that broke the contract (first 5)", List.of(), run.failures(5));
        assertTrue("some mutations stay valid, or the test proves little: " + run.acceptedFrames(),
            run.acceptedFrames() > 200);
        assertTrue("most mutations are refused: " + run.refusals(), run.refusals() > MUTATIONS / 2);
        assertKafkaHoldsExactlyTheAcceptedFrames(run.acceptedFrames());
    }

    private void assertKafkaHoldsExactlyTheAcceptedFrames(int accepted) {
        List<ProducerRecord<String, byte[]>> records = producer.history();
        assertEquals("records in Kafka = frames accepted", accepted, records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            try {
                validator.parseRecord(record.value());
            } catch (FrameException e) {
                throw new AssertionError("an invalid record reached Kafka (" + e.getMessage() + "): "
                    + new String(record.value(), StandardCharsets.UTF_8), e);
            }
        }
    }
}
