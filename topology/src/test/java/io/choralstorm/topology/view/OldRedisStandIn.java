package io.choralstorm.topology.view;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for a Redis older than the view needs, which cannot be installed here: it speaks RESP, answers
 * INFO as a Redis of the given version would, and +OK to anything else. Only for the refusal at start.
 */
public final class OldRedisStandIn implements AutoCloseable {
    private final ServerSocket server;
    private final String version;
    private final Thread thread;

    public OldRedisStandIn(String version) throws IOException {
        this.server = new ServerSocket(0);
        this.version = version;
        this.thread = new Thread(this::serve, "old-redis-stand-in");
        thread.setDaemon(true);
        thread.start();
    }

    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                answer(client);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException("stand-in failed", e);
            }
        }
    }

    private void answer(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        for (List<String> command = read(in); command != null; command = read(in)) {
            String reply = "INFO".equalsIgnoreCase(command.get(0)) ? bulk("# Server\r\nredis_version:" + version
                + "\r\nredis_mode:standalone\r\n") : "+OK\r\n";
            out.write(reply.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static List<String> read(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
            in.readLine();
            parts.add(in.readLine());
        }
        return parts;
    }

    private static String bulk(String text) {
        return "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
    }
}
