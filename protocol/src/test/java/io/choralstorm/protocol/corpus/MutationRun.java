package io.choralstorm.protocol.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs FrameMutator bodies to a real server, a few at a time on kept-alive connections, and
 * checks each answer: never a 5xx, a JSON body, and the verdict the validator library gives for
 * the same bytes (202 with the same frame count, or 400 with the same code). Collects failures
 * instead of stopping at the first, so a report shows several.
 */
public final class MutationRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_CHARS = 300;

    private final HttpClient client;
    private final URI endpoint;
    private final FrameValidator validator;
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acceptedFrames = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();

    public MutationRun(HttpClient client, URI endpoint, FrameValidator validator) {
        this.client = client;
        this.endpoint = endpoint;
        this.validator = validator;
    }

    /** Sends {@code count} mutations of {@code seed}, at most {@code inFlight} at once, and waits for every answer. */
    public MutationRun send(long seed, int count, int inFlight) throws InterruptedException {
        FrameMutator mutator = new FrameMutator(seed);
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<Void>> answers = new ArrayList<>(count);

        for (int i = 0; i < count; i++) {
            byte[] body = mutator.next();
            Verdict expected = verdict(body);
            slots.acquire();
            String label = "seed " + seed + " mutation " + i;
            answers.add(client.sendAsync(post(body), HttpResponse.BodyHandlers.ofString())
                .handle((answer, error) -> {
                    check(label, body, expected, answer, error);
                    slots.release();
                    return null;
                }));
        }
        CompletableFuture.allOf(answers.toArray(new CompletableFuture[0])).join();
        return this;
    }

    /** The first {@code count} failures (empty when every answer kept the contract). */
    public List<String> failures(int count) {
        List<String> some = new ArrayList<>();
        for (String failure : failures) {
            if (some.size() == count) {
                break;
            }
            some.add(failure);
        }
        return some;
    }

    /** Frames the server accepted: exactly the records that must be in Kafka. */
    public int acceptedFrames() {
        return acceptedFrames.get();
    }

    public int refusals() {
        return refusals.get();
    }

    private void check(String label, byte[] body, Verdict expected, HttpResponse<String> answer, Throwable error) {
        String seen = label + " " + shorten(new String(body, StandardCharsets.UTF_8));
        if (error != null) {
            failures.add(seen + " got no answer: " + error);
            return;
        }
        String got = " answered " + answer.statusCode() + " " + shorten(answer.body()) + ", expected " + expected;
        boolean json = answer.headers().firstValue("Content-Type").orElse("").equals("application/json");
        if (answer.statusCode() >= 500 || answer.statusCode() != expected.status || !json) {
            failures.add(seen + got);
        } else if (expected.status == 202) {
            acceptedFrames.addAndGet(expected.frames);
        } else if (expected.code.equals(errorCode(answer.body()))) {
            refusals.incrementAndGet();
        } else {
            failures.add(seen + got);
        }
    }

    private Verdict verdict(byte[] body) {
        try {
            return new Verdict(202, null, validator.parseDeviceBody(body, System.currentTimeMillis()).size());
        } catch (FrameException e) {
            return new Verdict(400, e.code().wireName(), 0);
        }
    }

    /** The error code of a JSON error body that also carries a message, else null. */
    private static String errorCode(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("message").isTextual() ? error.path("code").asText(null) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private HttpRequest post(byte[] body) {
        return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String shorten(String text) {
        return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...";
    }

    private static final class Verdict {
        final int status;
        final String code;
        final int frames;

        Verdict(int status, String code, int frames) {
            this.status = status;
            this.code = code;
            this.frames = frames;
        }

        @Override
        public String toString() {
            return status + (code == null ? " (" + frames + " frames)" : " " + code);
        }
    }
}
