package io.choralstorm.local;

import io.choralstorm.settings.SettingsSource;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Refuses to start a component on a port that something else already listens on. */
public final class PortGuard {

    private PortGuard() {
    }

    /**
     * Throws a {@link StackException} naming the port, the component and the setting to change when the port
     * cannot be bound on the host.
     *
     * @param settingName the stack setting that holds the port, such as {@code stack.kafka.port}; its environment
     *                    variable ({@code CHORAL_STACK_KAFKA_PORT}) is derived by {@link #envNameOf(String)}
     */
    public static void requireFree(String host, int port, String component, String settingName) {
        if (port < 1 || port > 65535) {
            throw new StackException("port " + port + " (" + component + ") is not a TCP port (1-65535); set "
                + settingName + " / " + envNameOf(settingName) + " to a port in that range");
        }
        if (!canBind(host, port)) {
            throw new StackException("port " + port + " (" + component + ") is already in use on " + host
                + "; stop what holds it or set " + settingName + " / " + envNameOf(settingName)
                + " to another port");
        }
    }

    /** A port that was free on the loopback address a moment ago; for tests and ephemeral listeners. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("no free port on the loopback address: " + e.getMessage(), e);
        }
    }

    /** The environment variable of a setting: {@code stack.kafka.port} gives {@code CHORAL_STACK_KAFKA_PORT}. */
    public static String envNameOf(String settingName) {
        return SettingsSource.envName(settingName);
    }

    private static boolean canBind(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 1);
            return true;
        } catch (BindException e) {
            requireLocalAddress(host);
            return false;
        } catch (IOException e) {
            throw notLocal(host, e);
        }
    }

    /** A bind refused on a given port means "in use" only if the host itself can be bound at all. */
    private static void requireLocalAddress(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0), 1);
        } catch (IOException e) {
            throw notLocal(host, e);
        }
    }

    private static StackException notLocal(String host, IOException cause) {
        return new StackException("cannot listen on " + host + " (" + cause.getMessage()
            + "); use an address of this machine, such as 127.0.0.1", cause);
    }
}
