package io.choralstorm.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.Test;

public class PortGuardTest {
    private static final String HOST = "127.0.0.1";

    @Test
    public void portThatNobodyHoldsIsAccepted() {
        // given
        int port = PortGuard.freePort();

        // when / then: no exception
        PortGuard.requireFree(HOST, port, "kafka", "stack.kafka.port");
    }

    @Test
    public void takenPortIsRefusedNamingPortComponentHostAndSetting() throws Exception {
        // given
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            int port = holder.getLocalPort();

            // when
            StackException refused = assertThrows(StackException.class,
                () -> PortGuard.requireFree(HOST, port, "kafka", "stack.kafka.port"));

            // then
            assertEquals("message of a taken port",
                "port " + port + " (kafka) is already in use on 127.0.0.1; stop what holds it or set "
                    + "stack.kafka.port / CHORAL_STACK_KAFKA_PORT to another port",
                refused.getMessage());
        }
    }

    @Test
    public void portHeldOnTheWildcardAddressIsRefusedOnLoopback() throws Exception {
        // given
        try (ServerSocket holder = new ServerSocket(0, 1)) {
            int port = holder.getLocalPort();

            // when
            StackException refused = assertThrows(StackException.class,
                () -> PortGuard.requireFree(HOST, port, "redis", "stack.redis.port"));

            // then
            assertTrue("message names the port and the setting: " + refused.getMessage(),
                refused.getMessage().startsWith("port " + port + " (redis) is already in use")
                    && refused.getMessage().contains("stack.redis.port / CHORAL_STACK_REDIS_PORT"));
        }
    }

    @Test
    public void portOutsideTheTcpRangeIsRefusedNamingTheSetting() {
        // when
        StackException refused = assertThrows(StackException.class,
            () -> PortGuard.requireFree(HOST, 70000, "cassandra", "stack.cassandra.port"));

        // then
        assertEquals("message of an impossible port",
            "port 70000 (cassandra) is not a TCP port (1-65535); set stack.cassandra.port / CHORAL_STACK_CASSANDRA_PORT"
                + " to a port in that range",
            refused.getMessage());
    }

    @Test
    public void hostThatIsNotOnThisMachineIsNotReportedAsAPortInUse() {
        // given: an address of the TEST-NET-1 documentation block, never assigned to a machine
        String foreignHost = "192.0.2.1";

        // when
        StackException refused = assertThrows(StackException.class,
            () -> PortGuard.requireFree(foreignHost, PortGuard.freePort(), "kafka", "stack.kafka.port"));

        // then
        assertTrue("message blames the host, not the port: " + refused.getMessage(),
            refused.getMessage().startsWith("cannot listen on 192.0.2.1"));
    }

    @Test
    public void environmentVariableIsDerivedFromTheStackSetting() {
        assertEquals("kafka port", "CHORAL_STACK_KAFKA_PORT", PortGuard.envNameOf("stack.kafka.port"));
        assertEquals("dotted setting", "CHORAL_STACK_CASSANDRA_STORAGE_PORT",
            PortGuard.envNameOf("stack.cassandra.storage.port"));
    }

    @Test
    public void freePortCanBeBoundAgain() throws Exception {
        // given
        int port = PortGuard.freePort();

        // when
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            // then
            assertNotEquals("a bound port", 0, socket.getLocalPort());
        }
    }
}
