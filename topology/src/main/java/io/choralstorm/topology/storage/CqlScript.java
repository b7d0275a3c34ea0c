package io.choralstorm.topology.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a CQL script into statements the way cqlsh reads it: on ';' outside comments (line comments
 * starting with {@code --} or {@code //}, and block comments), string literals ({@code '...'} with
 * {@code ''} escapes, {@code $$...$$}) and quoted names ({@code "..."}). Comments are dropped; blank
 * statements are skipped.
 */
public final class CqlScript {
    private CqlScript() {
    }

    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (startsWith(script, i, "--") || startsWith(script, i, "//")) {
                i = skipLine(script, i);
            } else if (startsWith(script, i, "/*")) {
                i = skipBlock(script, i);
                current.append(' ');
            } else if (c == '\'' || c == '"' || startsWith(script, i, "$$")) {
                int end = endOfQuoted(script, i);
                current.append(script, i, end);
                i = end;
            } else if (c == ';') {
                addIfNotBlank(statements, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        addIfNotBlank(statements, current);
        return statements;
    }

    private static boolean startsWith(String s, int at, String prefix) {
        return s.startsWith(prefix, at);
    }

    private static int skipLine(String s, int from) {
        int end = s.indexOf('\n', from);
        return end < 0 ? s.length() : end;
    }

    private static int skipBlock(String s, int from) {
        int end = s.indexOf("*/", from + 2);
        if (end < 0) {
            throw new IllegalArgumentException("unterminated /* comment starting at offset " + from);
        }
        return end + 2;
    }

    /** Index just past the literal or quoted name starting at {@code from}. */
    private static int endOfQuoted(String s, int from) {
        if (startsWith(s, from, "$$")) {
            int end = s.indexOf("$$", from + 2);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated $$ string starting at offset " + from);
            }
            return end + 2;
        }
        char quote = s.charAt(from);
        int i = from + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated " + quote + " quote starting at offset " + from);
    }

    private static void addIfNotBlank(List<String> statements, StringBuilder statement) {
        String text = statement.toString().strip();
        if (!text.isEmpty()) {
            statements.add(text);
        }
    }
}
