package io.choralstorm.protocol.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random, reproducible mutations of valid frames: byte flips, truncation, duplicated keys, type
 * swaps, deleted fields, huge, non-finite and exponent numbers, hostile Unicode, deep nesting,
 * batches, stray whitespace and splices. The same seed gives the same bodies in the same order.
 */
public final class FrameMutator {
    /** Valid bodies the mutations start from: base frame B, POC frames, nesting, strings, batches. */
    public static final List<String> SEEDS = List.of(
        "{\"device_id\":\"t-01\",\"user_secret\":\"test-secret\",\"device_data\":{\"temperature\":21.5},"
            + "\"device_timestamp\":1700000000000}",
        "{\"device_id\": \"1\", \"user_secret\": \"secret\", \"device_data\": {\"temperature\": \"-12\"}, "
            + "\"device_timestamp\": 1496000000000}",
        "{\"device_id\":\"0\",\"user_secret\":\"zyx321\",\"device_data\":{\"sensor_data\":237.48906226130296},"
            + "\"device_timestamp\":1497718656456}",
        "{\"device_id\":\"caf\u00e9-\u6e29\",\"device_data\":{\"dht\":{\"t\":21.5,\"h\":\"40\"},\"door\":false,"
            + "\"serial\":\"010003\",\"gps\":{\"fix\":{\"sats\":7}}},\"device_timestamp\":1.7e12}",
        "{\"device_id\":\"w-20\",\"device_data\":{" + twentyMetrics() + "}}",
        "[{\"device_id\":\"b-1\",\"device_data\":{\"t\":1}},{\"device_id\":\"b-2\",\"device_data\":{\"t\":-2.5e3},"
            + "\"device_timestamp\":1700000000001}]");

    private static final Pattern KEY = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"\\s*:");
    private static final Pattern SCALAR = Pattern.compile(
        ":\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d[\\d.eE+-]*|true|false|null)");
    private static final Pattern NUMBER = Pattern.compile("(?<=[:\\[,]\\s?)-?\\d[\\d.eE+-]*");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private static final String[] VALUES = {"\"x\"", "\"\"", "123", "-1.5", "true", "false", "null", "[]", "{}",
        "[1,2]", "{\"a\":1}", "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", "\"21.5\"", "\"010003\"", "\"1700000000000\"",
        "\"" + "s".repeat(300) + "\"", "{\"a\":[1]}", "0"};
    private static final String[] NUMBERS = {"NaN", "Infinity", "-Infinity", "nan", "1e400", "-1e400", "1e-400",
        "1e2147483648", "1e-2147483648", "99999999999999999999999", "-99999999999999999999", "1.7e12", "1700000000",
        "1700000000.5", "1700000000000000", "1700000000000000000", "0", "-0", "-1", "007", "+1", ".5", "1.", "0x10",
        "1".repeat(70), "1E5", "1.0e+12", "4102444800000", "900000000000", "1.7976931348623157e308", "2.5e-3"};
    private static final String[] UNICODE = {"\\ud800", "\\udc00", "\\u0000", "\\u001f", "\u200b", "\u202e", "\u2028",
        "\ud83c\udf21", "e\u0301", "\ufeff", "\u0001", "\\", "\"", "\\x", "\u00e9", "\t", "\u00a0", "\\uD83C\\uDF21"};
    private static final String[] WHITESPACE = {" ", "\t", "\n", "\r\n", "\u00a0", "\u000b", "\u3000", "  \n\t "};
    private static final String[] KEYS = {"\"device_id\":", "\"user_secret\":", "\"device_data\":",
        "\"device_timestamp\":", "\"received_at\":", "\"a.b\":", "\"\":", "\"bad name\":", "\"t\":"};
    private static final String[] PUNCTUATION = {"{", "}", "[", "]", ":", ",", "\"", "'", "\\"};

    private final Random random;

    public FrameMutator(long seed) {
        this.random = new Random(seed);
    }

    /** The next mutated body: a seed with one to three mutations applied. */
    public byte[] next() {
        String text = SEEDS.get(random.nextInt(SEEDS.size()));
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            text = mutateText(text);
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return random.nextInt(8) == 0 ? mutateBytes(body) : body;
    }

    private String mutateText(String text) {
        switch (random.nextInt(12)) {
            case 0:
                return duplicateKey(text);
            case 1:
                return replaceMatch(text, SCALAR, ":" + pick(VALUES));
            case 2:
                return deleteField(text);
            case 3:
                return replaceMatch(text, NUMBER, pick(NUMBERS));
            case 4:
                return insertIntoString(text, pick(UNICODE));
            case 5:
                return nestValue(text);
            case 6:
                return batch(text);
            case 7:
                return insertAt(text, random.nextInt(text.length() + 1), pick(WHITESPACE));
            case 8:
                return splice(text);
            case 9:
                return insertAt(text, random.nextInt(text.length() + 1), pick(PUNCTUATION));
            case 10:
                return text.substring(0, random.nextInt(text.length() + 1));
            default:
                return replaceMatch(text, KEY, pick(KEYS));
        }
    }

    private byte[] mutateBytes(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        byte[] mutated = body.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int position = random.nextInt(mutated.length);
            mutated[position] = random.nextBoolean() ? (byte) (mutated[position] ^ (1 << random.nextInt(8)))
                : (byte) random.nextInt(256);
        }
        return random.nextInt(4) == 0 ? Arrays.copyOf(mutated, random.nextInt(mutated.length + 1)) : mutated;
    }

    private String duplicateKey(String text) {
        List<int[]> keys = matches(text, KEY);
        if (keys.isEmpty()) {
            return text;
        }
        int[] key = keys.get(random.nextInt(keys.size()));
        String copy = text.substring(key[0], key[1]) + pick(VALUES) + ",";
        return insertAt(text, key[0], copy);
    }

    private String deleteField(String text) {
        Matcher field = Pattern.compile(",?\\s*" + KEY.pattern() + "\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d[\\d.eE+-]*|true"
            + "|false|null|\\{[^{}]*\\})").matcher(text);
        List<int[]> fields = new ArrayList<>();
        while (field.find()) {
            fields.add(new int[] {field.start(), field.end()});
        }
        if (fields.isEmpty()) {
            return text;
        }
        int[] chosen = fields.get(random.nextInt(fields.size()));
        return text.substring(0, chosen[0]) + text.substring(chosen[1]);
    }

    private String insertIntoString(String text, String insert) {
        List<int[]> strings = matches(text, STRING);
        if (strings.isEmpty()) {
            return text;
        }
        int[] string = strings.get(random.nextInt(strings.size()));
        int position = string[0] + 1 + random.nextInt(string[1] - string[0] - 1);
        return insertAt(text, position, insert);
    }

    private String nestValue(String text) {
        int depth = 1 + random.nextInt(20);
        if (random.nextBoolean()) {
            return "[".repeat(depth) + text + "]".repeat(depth);
        }
        List<int[]> scalars = matches(text, SCALAR);
        if (scalars.isEmpty()) {
            return text;
        }
        int[] scalar = scalars.get(random.nextInt(scalars.size()));
        String value = text.substring(scalar[0] + 1, scalar[1]);
        String open = random.nextBoolean() ? "{\"n\":" : "[";
        String close = open.equals("[") ? "]" : "}";
        return text.substring(0, scalar[0] + 1) + open.repeat(depth) + value + close.repeat(depth)
            + text.substring(scalar[1]);
    }

    private String batch(String text) {
        int size = random.nextInt(5);
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            frames.add(random.nextBoolean() ? text : SEEDS.get(random.nextInt(SEEDS.size() - 1)));
        }
        return "[" + String.join(",", frames) + "]";
    }

    private String splice(String text) {
        if (text.isEmpty()) {
            return text;
        }
        int start = random.nextInt(text.length());
        int end = Math.min(text.length(), start + 1 + random.nextInt(20));
        return insertAt(text, random.nextInt(text.length() + 1), text.substring(start, end));
    }

    private String replaceMatch(String text, Pattern pattern, String replacement) {
        List<int[]> found = matches(text, pattern);
        if (found.isEmpty()) {
            return text;
        }
        int[] match = found.get(random.nextInt(found.size()));
        return text.substring(0, match[0]) + replacement + text.substring(match[1]);
    }

    private static List<int[]> matches(String text, Pattern pattern) {
        List<int[]> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(new int[] {matcher.start(), matcher.end()});
        }
        return found;
    }

    private static String insertAt(String text, int position, String insert) {
        int safe = Math.min(position, text.length());
        if (safe > 0 && safe < text.length() && Character.isLowSurrogate(text.charAt(safe))) {
            safe--;
        }
        return text.substring(0, safe) + insert + text.substring(safe);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String twentyMetrics() {
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            metrics.append(i == 0 ? "" : ",").append("\"sensor_").append(i).append("\":").append(20 + i).append(".25");
        }
        return metrics.toString();
    }
}
