package io.choralstorm.cluster;

import io.choralstorm.edge.EdgeException;
import io.choralstorm.edge.EdgeResponses;
import io.choralstorm.edge.ErrorBodies;
import io.choralstorm.edge.RequestBodyReader;
import io.choralstorm.protocol.DeviceFrame;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST of a frame or a batch: read with the edge's limits, validate whole, publish to Kafka, and
 * answer 202 only once Kafka acknowledged every frame. Nothing is published for a refused body.
 */
public final class FrameIngestHandler implements HttpHandler {
    /** Refused client input is logged here, at DEBUG, so bad traffic cannot flood the main log. */
    private static final Logger CLIENT_ERRORS = LoggerFactory.getLogger("io.choralstorm.cluster.client-errors");
    private static final Logger LOG = LoggerFactory.getLogger(FrameIngestHandler.class);
    private static final int KAFKA_RETRY_AFTER_SECONDS = 2;

    private final RequestBodyReader bodyReader;
    private final FrameValidator validator;
    private final FramePublisher publisher;
    private final LongSupplier clock;

    public FrameIngestHandler(RequestBodyReader bodyReader, FrameValidator validator, FramePublisher publisher,
                              LongSupplier clock) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        bodyReader.read(exchange, this::ingest);
    }

    private void ingest(HttpServerExchange exchange, byte[] body) {
        List<Frame> frames;
        try {
            frames = framesOf(validator.parseDeviceBody(body, clock.getAsLong()));
        } catch (FrameException e) {
            CLIENT_ERRORS.debug("refused {} bytes from {}: {}", body.length, exchange.getSourceAddress(), e.code());
            EdgeResponses.sendError(exchange, EdgeException.invalidFrame(e));
            return;
        }
        exchange.dispatch(() -> publisher.publish(frames, error -> answer(exchange, frames.size(), error)));
    }

    private void answer(HttpServerExchange exchange, int count, Exception error) {
        if (error == null) {
            EdgeResponses.sendJson(exchange, 202, ErrorBodies.accepted(count));
        } else if (error instanceof RecordTooLargeException) {
            EdgeResponses.sendError(exchange, new EdgeException(413, "body_too_large",
                "Kafka refused the frame as too large: " + error.getMessage()));
        } else {
            LOG.warn("cluster-http: Kafka did not acknowledge {} frame(s) on {}: {}", count, publisher.topic(),
                error.toString());
            EdgeResponses.sendError(exchange, new EdgeException(503, "kafka_unavailable",
                "the cluster could not store the frames right now; retry later", KAFKA_RETRY_AFTER_SECONDS));
        }
    }

    private static List<Frame> framesOf(List<DeviceFrame> parsed) {
        List<Frame> frames = new ArrayList<>(parsed.size());
        for (DeviceFrame deviceFrame : parsed) {
            frames.add(deviceFrame.frame());
        }
        return frames;
    }
}
