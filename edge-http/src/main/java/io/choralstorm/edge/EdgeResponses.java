package io.choralstorm.edge;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** Writes answers, from any thread: the write itself always happens on the exchange's I/O thread. */
public final class EdgeResponses {
    public static final String JSON_TYPE = "application/json";
    public static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    private EdgeResponses() {
    }

    public static void sendJson(HttpServerExchange exchange, int status, String body) {
        sendJson(exchange, status, body, 0);
    }

    public static void sendJson(HttpServerExchange exchange, int status, String body, int retryAfterSeconds) {
        if (exchange.isInIoThread()) {
            write(exchange, status, body, retryAfterSeconds);
        } else {
            exchange.getIoThread().execute(() -> write(exchange, status, body, retryAfterSeconds));
        }
    }

    public static void sendError(HttpServerExchange exchange, EdgeException e) {
        sendJson(exchange, e.status(), ErrorBodies.error(e), e.retryAfterSeconds());
    }

    private static void write(HttpServerExchange exchange, int status, String body, int retryAfterSeconds) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON_TYPE);
        if (retryAfterSeconds > 0) {
            exchange.getResponseHeaders().put(RETRY_AFTER, retryAfterSeconds);
        }
        exchange.getResponseSender().send(body);
    }
}
