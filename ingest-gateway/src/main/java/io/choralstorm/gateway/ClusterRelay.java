package io.choralstorm.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a validated body to the device's cluster and fails over, in the router's order, when a
 * cluster cannot be reached or answers 5xx (503 means its Kafka did not take the frames, so nothing
 * was accepted there). A cluster that failed is tried last for {@code retryMs}. Retrying elsewhere is
 * safe: the topology keeps each (device, device_timestamp) reading once.
 */
public final class ClusterRelay {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRelay.class);
    private static final String FRAMES_PATH = "/v1/frames";

    /** What a cluster answered, or the gateway's own answer when none could. */
    public static final class Answer {
        final int status;
        final String body;
        final String retryAfter;
        final String cluster;

        Answer(int status, String body, String retryAfter, String cluster) {
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
            this.cluster = cluster;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }

        public String cluster() {
            return cluster;
        }
    }

    private final ClusterRouter router;
    private final HttpClient client;
    private final Duration timeout;
    private final long retryMs;
    private final LongSupplier clock;
    private final AtomicLongArray downUntil;

    public ClusterRelay(ClusterRouter router, HttpClient client, Duration timeout, long retryMs, LongSupplier clock) {
        this.router = router;
        this.client = client;
        this.timeout = timeout;
        this.retryMs = retryMs;
        this.clock = clock;
        this.downUntil = new AtomicLongArray(router.size());
    }

    /** Relays {@code body} for {@code deviceId}; never completes exceptionally. */
    public CompletableFuture<Answer> relay(String deviceId, byte[] body, String authorization) {
        List<Integer> candidates = candidates(deviceId);
        return attempt(candidates, 0, body, authorization);
    }

    /** The router's order for the device, clusters that recently failed moved to the end. */
    List<Integer> candidates(String deviceId) {
        long now = clock.getAsLong();
        List<Integer> healthy = new ArrayList<>();
        List<Integer> resting = new ArrayList<>();
        for (int index : router.order(deviceId)) {
            (downUntil.get(index) > now ? resting : healthy).add(index);
        }
        healthy.addAll(resting);
        return healthy;
    }

    private CompletableFuture<Answer> attempt(List<Integer> candidates, int position, byte[] body, String auth) {
        int index = candidates.get(position);
        String cluster = router.cluster(index);
        return send(cluster, body, auth).handle((response, error) -> {
            boolean last = position + 1 >= candidates.size();
            if (error == null && response.statusCode() < 500) {
                return CompletableFuture.completedFuture(answer(response, cluster));
            }
            markDown(index, cluster, error, response);
            if (!last) {
                return attempt(candidates, position + 1, body, auth);
            }
            return CompletableFuture.completedFuture(error == null ? answer(response, cluster) : unavailable());
        }).thenCompose(future -> future);
    }

    private CompletableFuture<HttpResponse<String>> send(String cluster, byte[] body, String auth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster + FRAMES_PATH))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void markDown(int index, String cluster, Throwable error, HttpResponse<String> response) {
        downUntil.set(index, clock.getAsLong() + retryMs);
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause != null && !(cause instanceof IOException)) {
            LOG.warn("gateway: relay to {} failed unexpectedly", cluster, cause);
        } else {
            LOG.debug("gateway: cluster {} failed ({}); trying the next one", cluster,
                cause != null ? cause.toString() : "status " + response.statusCode());
        }
    }

    private static Answer answer(HttpResponse<String> response, String cluster) {
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        return new Answer(response.statusCode(), response.body(), retryAfter, cluster);
    }

    private static Answer unavailable() {
        return new Answer(503, "{\"error\":{\"code\":\"no_cluster_available\",\"message\":"
            + "\"no cluster could take the frames right now; retry later\"}}", "2", null);
    }
}
