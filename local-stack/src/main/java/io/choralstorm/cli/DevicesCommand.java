package io.choralstorm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.choralstorm.devices.CassandraDeviceStore;
import io.choralstorm.devices.DeviceRecord;
import io.choralstorm.devices.DeviceRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The device registry: register a device (its new secret is printed once, on standard output, and
 * never stored), list devices, revoke one. Secrets are kept only as salted PBKDF2 hashes.
 */
@Command(name = "devices", description = "Register, list and revoke devices in the shared registry.",
    subcommands = {DevicesCommand.Add.class, DevicesCommand.ListDevices.class, DevicesCommand.Revoke.class})
final class DevicesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, list or revoke");
    }

    @Command(name = "add", description = {"Register a device and print its new secret on standard output, once.",
        "Only a salted hash is stored: the secret cannot be shown again (--rotate gives a new one)."})
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE", description = "Device id, as frames send it in device_id.")
        String deviceId;

        @Option(names = "--rotate", description = "Give an already registered, active device a new secret; its old "
            + "secret is refused within seconds.")
        boolean rotate;

        @Option(names = "--secret-stdin", description = "Register the secret read from the first line of standard "
            + "input instead of a new one, for firmware that already has its secret.")
        boolean secretFromStdin;

        @Mixin
        RegistryOptions registryOptions;

        @Override
        public Integer call() throws IOException {
            try (CassandraDeviceStore store = registryOptions.store()) {
                DeviceRegistry registry = new DeviceRegistry(store);
                if (secretFromStdin) {
                    registry.register(deviceId, readSecret(), rotate);
                    System.err.println("Device " + deviceId + " registered with the secret read from standard input.");
                    return 0;
                }
                String secret = registry.add(deviceId, rotate);
                System.err.println("Device " + deviceId + " registered. Its secret follows; it is shown only now, "
                    + "store it on the device:");
                System.out.println(secret);
                System.err.println("Send it in a frame's \"user_secret\" or as 'Authorization: Bearer <secret>'.");
                return 0;
            }
        }

        private static String readSecret() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("--secret-stdin: standard input holds no secret");
            }
            return line;
        }
    }

    @Command(name = "list", description = "List registered devices: id, when registered, when revoked. Never a "
        + "secret or a hash.")
    static final class ListDevices implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON array.")
        boolean json;

        @Mixin
        RegistryOptions registryOptions;

        @Override
        public Integer call() throws IOException {
            List<DeviceRecord> devices;
            try (CassandraDeviceStore store = registryOptions.store()) {
                devices = new DeviceRegistry(store).list();
            }
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(toJson(devices)));
            } else {
                Table table = new Table("device", "registered (UTC)", "revoked (UTC)");
                devices.forEach(d -> table.row(d.deviceId(), d.createdAt(), d.revokedAt().map(Instant::toString)
                    .orElse("-")));
                table.print(System.out);
                System.out.println("(" + devices.size() + " device" + (devices.size() == 1 ? "" : "s") + ")");
            }
            return 0;
        }

        private static ArrayNode toJson(List<DeviceRecord> devices) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (DeviceRecord device : devices) {
                ObjectNode node = array.addObject();
                node.put("device_id", device.deviceId());
                node.put("created_at", device.createdAt().toString());
                node.put("revoked_at", device.revokedAt().map(Instant::toString).orElse(null));
            }
            return array;
        }
    }

    @Command(name = "revoke", description = "Revoke a device: its frames are refused (401) within seconds.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE", description = "Device id.")
        String deviceId;

        @Mixin
        RegistryOptions registryOptions;

        @Override
        public Integer call() {
            try (CassandraDeviceStore store = registryOptions.store()) {
                DeviceRegistry.Revocation outcome = new DeviceRegistry(store).revoke(deviceId);
                System.out.println(outcome == DeviceRegistry.Revocation.REVOKED
                    ? "Device " + deviceId + " revoked; cluster servers refuse it within their auth.cache.ttl.ms."
                    : "Device " + deviceId + " was already revoked.");
                return 0;
            }
        }
    }
}
