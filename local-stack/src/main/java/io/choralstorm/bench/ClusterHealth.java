package io.choralstorm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a cluster server's {@code GET /health}: the counters of its device authentication. */
public final class ClusterHealth {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI health;

    /** {@code base} is the cluster server's address, such as {@code http://127.0.0.1:8082}. */
    public ClusterHealth(URI base) {
        this.health = base.resolve("/health");
    }

    /** PBKDF2 checks the server has run since it started (0 when it does not authenticate devices). */
    public long secretChecks() throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("GET " + health + " answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode checks = JSON.readTree(answer.body()).path("auth").path("secret_checks");
        return checks.isNumber() ? checks.asLong() : 0;
    }
}
