package io.choralstorm.gateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a validated body to the device's cluster and fails over, in the router's order, when a
 * cluster cannot be reached, does not answer in time, or answers 5xx (503 means its Kafka did not take
 * the frames, so nothing was accepted there). A cluster that failed is tried last for {@code retryMs}.
 * Retrying elsewhere is safe: the topology keeps each (device, device_timestamp) reading once.
 *
 * <p>When the last cluster gives no answer, the device gets 504 if one of the clusters was sent the
 * frames but did not answer in time (it may have accepted them) and 503 if none could be sent them;
 * either way it should send the same request again. When the last cluster answers 5xx, that answer
 * is passed on.
 */
public final class ClusterRelay {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRelay.class);

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
    private final List<UpstreamPool> pools;
    private final long retryMs;
    private final LongSupplier clock;
    private final AtomicLongArray downUntil;

    /** {@code pools}: one per cluster, in the router's order of clusters. */
    ClusterRelay(ClusterRouter router, List<UpstreamPool> pools, long retryMs, LongSupplier clock) {
        this.router = router;
        this.pools = List.copyOf(pools);
        this.retryMs = retryMs;
        this.clock = clock;
        this.downUntil = new AtomicLongArray(router.size());
    }

    /** Relays {@code body} for {@code deviceId}; never completes exceptionally. */
    public CompletableFuture<Answer> relay(String deviceId, byte[] body, String authorization) {
        List<Integer> candidates = candidates(deviceId);
        return attempt(candidates, 0, body, authorization, false);
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

    private CompletableFuture<Answer> attempt(List<Integer> candidates, int position, byte[] body, String auth,
            boolean timedOutBefore) {
        int index = candidates.get(position);
        String cluster = router.cluster(index);
        return pools.get(index).post(body, auth).handle((response, error) -> {
            if (error == null && response.status < 500) {
                return CompletableFuture.completedFuture(answer(response, cluster));
            }
            Throwable cause = unwrap(error);
            markDown(index, cluster, cause, response);

            boolean timedOut = timedOutBefore || cause instanceof TimeoutException;
            if (position + 1 < candidates.size()) {
                return attempt(candidates, position + 1, body, auth, timedOut);
            }
            if (cause == null) {
                return CompletableFuture.completedFuture(answer(response, cluster));
            }
            return CompletableFuture.completedFuture(timedOut ? timedOut() : unavailable());
        }).thenCompose(future -> future);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void markDown(int index, String cluster, Throwable cause, UpstreamPool.Response response) {
        downUntil.set(index, clock.getAsLong() + retryMs);
        if (cause != null && !(cause instanceof IOException) && !(cause instanceof TimeoutException)) {
            LOG.warn("gateway: relay to {} failed unexpectedly", cluster, cause);
        } else {
            LOG.debug("gateway: cluster {} failed ({}); trying the next one", cluster,
                cause != null ? cause.toString() : "status " + response.status);
        }
    }

    private static Answer answer(UpstreamPool.Response response, String cluster) {
        return new Answer(response.status, response.body, response.retryAfter, cluster);
    }

    private static Answer unavailable() {
        return new Answer(503, "{\"error\":{\"code\":\"no_cluster_available\",\"message\":"
            + "\"no cluster could take the frames right now; retry later\"}}", "2", null);
    }

    private static Answer timedOut() {
        return new Answer(504, "{\"error\":{\"code\":\"cluster_timeout\",\"message\":"
            + "\"no cluster answered in time; the frames may have been accepted, and sending the same "
            + "request again is safe\"}}", "2", null);
    }
}
