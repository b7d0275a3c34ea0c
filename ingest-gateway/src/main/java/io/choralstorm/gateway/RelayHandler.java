package io.choralstorm.gateway;

import io.choralstorm.edge.EdgeException;
import io.choralstorm.edge.EdgeResponses;
import io.choralstorm.edge.RequestBodyReader;
import io.choralstorm.protocol.DeviceFrame;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's POST: read and validate with the same rules as the clusters (a frame the gateway
 * passes is one every cluster accepts), then relay to the device's cluster and pass its answer
 * through. A batch goes to the cluster of its first frame's device.
 */
public final class RelayHandler implements HttpHandler {
    private static final Logger CLIENT_ERRORS = LoggerFactory.getLogger("io.choralstorm.gateway.client-errors");

    private final RequestBodyReader bodyReader;
    private final FrameValidator validator;
    private final ClusterRelay relay;
    private final LongSupplier clock;

    public RelayHandler(RequestBodyReader bodyReader, FrameValidator validator, ClusterRelay relay,
                        LongSupplier clock) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.relay = relay;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        bodyReader.read(exchange, this::forward);
    }

    private void forward(HttpServerExchange exchange, byte[] body) {
        List<DeviceFrame> frames;
        try {
            frames = validator.parseDeviceBody(body, clock.getAsLong());
        } catch (FrameException e) {
            CLIENT_ERRORS.debug("refused {} bytes from {}: {}", body.length, exchange.getSourceAddress(), e.code());
            EdgeResponses.sendError(exchange, EdgeException.invalidFrame(e));
            return;
        }
        String deviceId = frames.get(0).frame().deviceId();
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> relay.relay(deviceId, body, authorization)
            .thenAccept(answer -> EdgeResponses.sendJson(exchange, answer.status, answer.body,
                retryAfterSeconds(answer.retryAfter))));
    }

    private static int retryAfterSeconds(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(header.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
