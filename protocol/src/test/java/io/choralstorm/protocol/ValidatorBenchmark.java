package io.choralstorm.protocol;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Validated frames per second on one thread, after warm-up, for base frame B of device-inputs.md,
 * a 20-metric frame, and a batch of 100 frames B. The per-core figure divides by the thread's CPU
 * time, so other load on the machine changes it little; wall-clock rates are printed beside it.
 * A measurement, not a test:
 * <pre>
 *   mvn -q -o -pl protocol test-compile
 *   java -cp protocol/target/classes:protocol/target/test-classes:$(jackson-core jar) \
 *       io.choralstorm.protocol.ValidatorBenchmark [seconds per round, default 2] [rounds, default 5]
 * </pre>
 */
public final class ValidatorBenchmark {
    private static final String FRAME_B = "{\"device_id\":\"t-01\",\"user_secret\":\"test-secret\","
        + "\"device_data\":{\"temperature\":21.5},\"device_timestamp\":1700000000000}";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());
    private long sink;

    private ValidatorBenchmark() {
    }

    public static void main(String[] args) throws FrameException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ValidatorBenchmark benchmark = new ValidatorBenchmark();

        benchmark.measure("frame B (1 metric, " + FRAME_B.length() + " bytes)", bytes(FRAME_B), 1, seconds, rounds);
        String twenty = twentyMetricFrame();
        benchmark.measure("20-metric frame (" + twenty.length() + " bytes)", bytes(twenty), 1, seconds, rounds);
        String batch = "[" + String.join(",", java.util.Collections.nCopies(100, FRAME_B)) + "]";
        benchmark.measure("batch of 100 frames B (" + batch.length() + " bytes)", bytes(batch), 100, seconds, rounds);
        System.out.println("(checksum " + benchmark.sink + ")");
    }

    private void measure(String name, byte[] body, int framesPerBody, double seconds, int rounds)
            throws FrameException {
        long now = 1_700_000_100_000L;
        runFor(body, now, seconds * 2);

        double[] perCpuSecond = new double[rounds];
        double[] perWallSecond = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            long frames = runFor(body, now, seconds) * framesPerBody;
            perCpuSecond[round] = frames / ((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
            perWallSecond[round] = frames / ((System.nanoTime() - wallStart) / 1e9);
        }

        Arrays.sort(perCpuSecond);
        Arrays.sort(perWallSecond);
        System.out.printf(Locale.ROOT, "%-40s %,11.0f frames per CPU-second (min %,.0f, max %,.0f); "
            + "%,11.0f per wall-clock second; median of %d rounds of %.1f s%n", name, perCpuSecond[rounds / 2],
            perCpuSecond[0], perCpuSecond[rounds - 1], perWallSecond[rounds / 2], rounds, seconds);
    }

    private long runFor(byte[] body, long now, double seconds) throws FrameException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long bodies = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1000; i++) {
                sink += validator.parseDeviceBody(body, now).size();
            }
            bodies += 1000;
        }
        return bodies;
    }

    private static String twentyMetricFrame() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            data.append(i == 0 ? "" : ",").append("\"sensor_").append(i).append("\":")
                .append(i % 4 == 3 ? "\"" + (20 + i) + ".5\"" : (20 + i) + ".25");
        }
        return FRAME_B.replace("{\"temperature\":21.5}", "{" + data + "}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
