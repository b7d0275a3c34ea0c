package io.choralstorm.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** How the stack's parts are shown to people. */
final class StackPrinter {
    private static final List<String> ORDER = List.of("gateway", "cluster-http", "kafka", "storm", "cassandra",
        "redis", "redis-source");

    private StackPrinter() {
    }

    static void printEndpoints(PrintStream out, Map<String, String> endpoints, long readyMillis) {
        out.printf("ChoralStorm local stack ready in %.1f s%n", readyMillis / 1000.0);
        Table table = new Table("part", "listens on");
        for (String part : ORDER) {
            if (endpoints.containsKey(part)) {
                table.row(part, endpoints.get(part));
            }
        }
        table.print(out);
        out.println("Register a device (prints its secret once):  SECRET=$(scripts/choral devices add d1)");
        out.println("Send a frame:  curl -H 'Content-Type: application/json' -H \"Authorization: Bearer $SECRET\" "
            + "-d '{\"device_id\":\"d1\",\"device_data\":{\"temperature\":21.5}}' " + endpoints.get("gateway")
            + "/v1/frames");
    }
}
