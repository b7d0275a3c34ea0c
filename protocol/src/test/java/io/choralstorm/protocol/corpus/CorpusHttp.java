package io.choralstorm.protocol.corpus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends corpus cases to a real server over HTTP and checks each answer against the contract:
 * the status, the JSON error body (code, field, every index), the accepted count, and the records
 * the case put in Kafka (exactly its frames, each one valid).
 */
public final class CorpusHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CorpusHttp() {
    }

    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** POSTs (or otherwise sends) the case to {@code endpoint} as the case's columns say. */
    public static HttpResponse<String> send(HttpClient client, URI endpoint, CorpusCase c)
            throws IOException, InterruptedException {
        return client.send(request(endpoint, c), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpRequest request(URI endpoint, CorpusCase c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT);
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        if (c.contentEncoding() != null) {
            request.header("Content-Encoding", c.contentEncoding());
        }
        byte[] body = c.body();
        HttpRequest.BodyPublisher publisher = c.chunked()
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
        return request.method(c.method(), c.method().equals("GET") ? HttpRequest.BodyPublishers.noBody() : publisher)
            .build();
    }

    /** Checks the status and body of the answer to {@code c}. */
    public static void assertAnswer(CorpusCase c, HttpResponse<String> answer) throws IOException {
        String seen = c.name() + " (" + c.about() + ") answered " + answer.statusCode() + " " + answer.body();
        assertEquals("status of " + seen, c.status(), answer.statusCode());
        assertEquals("content type of " + seen, "application/json",
            answer.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = JSON.readTree(answer.body());

        if (c.code() == null) {
            assertEquals("accepted count of " + seen, c.frames(), body.path("accepted").asInt(-1));
            return;
        }
        JsonNode error = body.path("error");
        assertEquals("error code of " + seen, c.code(), error.path("code").asText(null));
        assertTrue("error message of " + seen, error.path("message").asText("").length() > 0);
        if (!CorpusCase.ANY_FIELD.equals(c.field())) {
            assertEquals("error field of " + seen, c.field(), error.path("field").asText(null));
        }
        assertEquals("indexes of " + seen, c.indexes(), indexes(body));
    }

    /** Checks that {@code published} (the records the case added to Kafka) are exactly its frames, all valid. */
    public static void assertPublished(CorpusCase c, List<byte[]> published, FrameValidator validator) {
        assertEquals(c.name() + ": records in Kafka (nothing of a refused body, all of an accepted one)",
            c.frames(), published.size());
        for (byte[] record : published) {
            try {
                validator.parseRecord(record);
            } catch (FrameException e) {
                fail(c.name() + ": a record in Kafka does not re-validate: " + e.getMessage() + " in "
                    + new String(record, StandardCharsets.UTF_8));
            }
        }
    }

    private static List<Integer> indexes(JsonNode body) {
        List<Integer> indexes = new ArrayList<>();
        JsonNode errors = body.path("errors");
        if (errors.isArray()) {
            errors.forEach(error -> addIndex(indexes, error));
        } else {
            addIndex(indexes, body.path("error"));
        }
        return indexes;
    }

    private static void addIndex(List<Integer> indexes, JsonNode error) {
        if (error.has("index")) {
            indexes.add(error.get("index").asInt());
        }
    }
}
