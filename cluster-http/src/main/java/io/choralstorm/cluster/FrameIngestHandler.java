package io.choralstorm.cluster;

import io.choralstorm.cluster.admission.DeviceRateLimiter;
import io.choralstorm.cluster.auth.AuthOutcome;
import io.choralstorm.cluster.auth.DeviceAuthenticator;
import io.choralstorm.cluster.auth.DeviceClaim;
import io.choralstorm.cluster.auth.RequestCredentials;
import io.choralstorm.devices.RegistryUnavailableException;
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
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * POST of a frame or a batch, in this order: read with the edge's limits, validate whole (400),
 * find each frame's secret (400 when ambiguous), authenticate every device (401; 503 when the
 * registry cannot answer), apply each device's rate (429), check that Kafka is available (503 at
 * once when it is known not to be), publish, and answer 202 only once Kafka acknowledged every
 * frame. A request Kafka has not acknowledged within the answer timeout gets 503. Nothing is
 * published for a refused request, and no step blocks an I/O thread: secret checks run on their
 * own workers, sends on the server's worker pool.
 */
public final class FrameIngestHandler implements HttpHandler {
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String KAFKA_UNAVAILABLE = "kafka_unavailable";
    public static final String REGISTRY_UNAVAILABLE = "registry_unavailable";
    /** The answer to an unknown device, a revoked device and a wrong secret alike, so none can be told apart. */
    static final String REFUSED_MESSAGE = "the device_id and secret do not match an active registered device";

    /** Refused client input is logged here, at DEBUG, so bad traffic cannot flood the main log. */
    private static final Logger CLIENT_ERRORS = LoggerFactory.getLogger("io.choralstorm.cluster.client-errors");
    private static final Logger LOG = LoggerFactory.getLogger(FrameIngestHandler.class);
    private static final int RETRY_AFTER_SECONDS = 2;

    private final RequestBodyReader bodyReader;
    private final FrameValidator validator;
    private final DeviceAuthenticator authenticator;
    private final DeviceRateLimiter rateLimiter;
    private final FramePublisher publisher;
    private final long answerTimeoutMs;
    private final LongSupplier clock;

    public FrameIngestHandler(RequestBodyReader bodyReader, FrameValidator validator, DeviceAuthenticator authenticator,
                              DeviceRateLimiter rateLimiter, FramePublisher publisher, long answerTimeoutMs,
                              LongSupplier clock) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.publisher = publisher;
        this.answerTimeoutMs = answerTimeoutMs;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        bodyReader.read(exchange, this::ingest);
    }

    private void ingest(HttpServerExchange exchange, byte[] body) {
        List<DeviceFrame> parsed;
        List<DeviceClaim> claims;
        try {
            parsed = validator.parseDeviceBody(body, clock.getAsLong());
            claims = RequestCredentials.claims(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), parsed,
                validator.policy().maxSecretLength());
        } catch (FrameException e) {
            refuse(exchange, EdgeException.invalidFrame(e), "a body of " + body.length + " bytes");
            return;
        } catch (EdgeException e) {
            refuse(exchange, e, "a body of " + body.length + " bytes");
            return;
        }
        List<Frame> frames = framesOf(parsed);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> authenticate(claims)
            .whenComplete((outcome, error) -> admitOrFail(exchange, frames, outcome, error)));
    }

    private CompletableFuture<AuthOutcome> authenticate(List<DeviceClaim> claims) {
        try {
            return authenticator.authenticate(claims);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs in a future's callback, where an exception would vanish and leave the device waiting. */
    private void admitOrFail(HttpServerExchange exchange, List<Frame> frames, AuthOutcome outcome, Throwable error) {
        try {
            admit(exchange, frames, outcome, error);
        } catch (RuntimeException e) {
            LOG.error("cluster-http: a request of {} frame(s) failed unexpectedly", frames.size(), e);
            EdgeResponses.sendError(exchange, new EdgeException(500, "internal_error", "the server failed; retry"));
        }
    }

    private void admit(HttpServerExchange exchange, List<Frame> frames, AuthOutcome outcome, Throwable error) {
        EdgeException refusal = refusal(frames, outcome, error);
        if (refusal == null) {
            publish(exchange, frames);
            return;
        }
        if (refusal.status() == 401) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        }
        refuse(exchange, refusal, frames.size() + " frame(s)");
    }

    private EdgeException refusal(List<Frame> frames, AuthOutcome outcome, Throwable error) {
        if (error != null) {
            return registryFailure(error);
        }
        if (outcome == AuthOutcome.NO_SECRET) {
            return new EdgeException(401, UNAUTHORIZED, "a frame presents no secret: send the device's secret in "
                + "user_secret or in an Authorization: Bearer header");
        }
        if (outcome != AuthOutcome.ACCEPTED) {
            return new EdgeException(401, UNAUTHORIZED, REFUSED_MESSAGE);
        }
        DeviceRateLimiter.Decision rate = rateLimiter.tryAcquire(framesPerDevice(frames));
        if (!rate.admitted()) {
            return new EdgeException(429, RATE_LIMITED, rateMessage(rate), rate.retryAfterSeconds());
        }
        if (!publisher.admits()) {
            return new EdgeException(503, KAFKA_UNAVAILABLE, "the cluster cannot store frames right now (Kafka is "
                + "unavailable); retry later", RETRY_AFTER_SECONDS);
        }
        return null;
    }

    private static EdgeException registryFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (!(cause instanceof RegistryUnavailableException)) {
            LOG.warn("cluster-http: authenticating a request failed unexpectedly", cause);
        }
        return new EdgeException(503, REGISTRY_UNAVAILABLE, "the device registry cannot check secrets right now; "
            + "retry later", RETRY_AFTER_SECONDS);
    }

    private String rateMessage(DeviceRateLimiter.Decision rate) {
        String limits = " (" + rateLimiter.describe() + "; settings " + ClusterHttpConfig.RATE_LIMIT_FRAMES_PER_SECOND
            + ", " + ClusterHttpConfig.RATE_LIMIT_BURST_FRAMES + ")";
        if (rate.overBurst()) {
            return "one request holds more frames of device " + rate.deviceId() + " than its burst allows" + limits
                + "; send smaller batches";
        }
        return "device " + rate.deviceId() + " sends more frames than its rate allows" + limits + "; retry after "
            + rate.retryAfterSeconds() + " s";
    }

    /** Sends on a worker thread; the first of Kafka's answer and the answer timeout decides the response. */
    private void publish(HttpServerExchange exchange, List<Frame> frames) {
        AtomicBoolean answered = new AtomicBoolean();
        XnioExecutor.Key deadline = exchange.getIoThread().executeAfter(() -> {
            if (answered.compareAndSet(false, true)) {
                publisher.unacknowledgedWithin(answerTimeoutMs);
                EdgeResponses.sendError(exchange, new EdgeException(503, KAFKA_UNAVAILABLE, "Kafka did not acknowledge "
                    + "the frames within " + answerTimeoutMs + " ms; retry (a frame sent twice is stored once)",
                    RETRY_AFTER_SECONDS));
            }
        }, answerTimeoutMs, TimeUnit.MILLISECONDS);
        try {
            exchange.getConnection().getWorker().execute(() -> {
                if (answered.get()) {
                    return;
                }
                publisher.publish(frames, error -> {
                    if (answered.compareAndSet(false, true)) {
                        deadline.remove();
                        answer(exchange, frames.size(), error);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("cluster-http: the worker pool refused a send (stopping?); the answer timeout replies");
        }
    }

    private void answer(HttpServerExchange exchange, int count, Exception error) {
        if (error == null) {
            EdgeResponses.sendJson(exchange, 202, ErrorBodies.accepted(count));
            return;
        }
        if (error instanceof RecordTooLargeException) {
            EdgeResponses.sendError(exchange, new EdgeException(413, "body_too_large",
                "Kafka refused the frame as too large: " + error.getMessage()));
            return;
        }
        if (error instanceof RetriableException) {
            LOG.debug("cluster-http: Kafka did not acknowledge {} frame(s) on {}: {}", count, publisher.topic(),
                error.toString());
        } else {
            LOG.warn("cluster-http: Kafka refused {} frame(s) on {}: {}", count, publisher.topic(), error.toString());
        }
        EdgeResponses.sendError(exchange, new EdgeException(503, KAFKA_UNAVAILABLE,
            "the cluster could not store the frames right now; retry later", RETRY_AFTER_SECONDS));
    }

    private static void refuse(HttpServerExchange exchange, EdgeException refusal, String what) {
        CLIENT_ERRORS.debug("refused {} from {}: {} {}", what, exchange.getSourceAddress(), refusal.status(),
            refusal.code());
        EdgeResponses.sendError(exchange, refusal);
    }

    private static Map<String, Integer> framesPerDevice(List<Frame> frames) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        frames.forEach(frame -> counts.merge(frame.deviceId(), 1, Integer::sum));
        return counts;
    }

    private static List<Frame> framesOf(List<DeviceFrame> parsed) {
        List<Frame> frames = new ArrayList<>(parsed.size());
        for (DeviceFrame deviceFrame : parsed) {
            frames.add(deviceFrame.frame());
        }
        return frames;
    }
}
