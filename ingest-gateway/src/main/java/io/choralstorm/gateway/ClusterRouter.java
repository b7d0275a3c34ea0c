package io.choralstorm.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the clusters for a device by rendezvous hashing: each cluster scores
 * {@code mix(fnv1a64(cluster URL + '\n' + device id))} and the device goes to the highest score,
 * then the next on failover. The order is stable across restarts and gateways, and adding or
 * removing a cluster moves only the devices whose first choice it was or becomes.
 */
public final class ClusterRouter {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final List<String> clusters;
    private final long[] clusterSeeds;

    public ClusterRouter(List<String> clusters) {
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("at least one cluster is required");
        }
        this.clusters = List.copyOf(clusters);
        this.clusterSeeds = new long[clusters.size()];
        for (int i = 0; i < clusters.size(); i++) {
            clusterSeeds[i] = fnv1a(FNV_OFFSET, clusters.get(i) + "\n");
        }
    }

    public int size() {
        return clusters.size();
    }

    public String cluster(int index) {
        return clusters.get(index);
    }

    /** Cluster indexes for {@code deviceId}, best first. */
    public int[] order(String deviceId) {
        int n = clusters.size();
        long[] scores = new long[n];
        Integer[] indexes = new Integer[n];
        for (int i = 0; i < n; i++) {
            scores[i] = mix(fnv1a(clusterSeeds[i], deviceId));
            indexes[i] = i;
        }
        Arrays.sort(indexes, (a, b) -> scores[a] != scores[b]
            ? Long.compareUnsigned(scores[b], scores[a]) : Integer.compare(a, b));
        return Arrays.stream(indexes).mapToInt(Integer::intValue).toArray();
    }

    /** The first choice for {@code deviceId}. */
    public String primary(String deviceId) {
        return clusters.get(order(deviceId)[0]);
    }

    public List<String> clusters() {
        return new ArrayList<>(clusters);
    }

    static long fnv1a(long seed, String text) {
        long hash = seed;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** The splitmix64 finalizer: spreads FNV's weak low bits over the whole word. */
    static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
