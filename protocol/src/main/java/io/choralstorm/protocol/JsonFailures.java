package io.choralstorm.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the JSON parser's failures into refusals a firmware author can act on: the field where
 * the body broke (a dotted path such as {@code device_data.temperature}, and the frame's index in
 * a batch), what is wrong in plain words, and the line and column.
 */
final class JsonFailures {
    private static final int MAX_DETAIL_CHARS = 100;
    /** Jackson's pointer to where an unclosed object started, with its own source description. */
    private static final Pattern START_MARKER = Pattern.compile(" ?\\(start marker at .*");
    /** Jackson's advice to change one of its settings, e.g. "enable `JsonReadFeature.X` to allow". */
    private static final Pattern SETTING_HINT = Pattern.compile(",? ?(from|enable) `[^`]*`( to allow)?");

    private JsonFailures() {
    }

    static FrameException malformed(JsonProcessingException e, JsonParser parser) {
        ErrorCode code = ErrorCode.MALFORMED_JSON;
        String detail = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException && detail.startsWith("Document nesting depth")) {
            code = ErrorCode.NESTING_TOO_DEEP;
        }
        String message = explain(e, detail) + where(e.getLocation());

        JsonStreamContext context = parser.getParsingContext();
        int index = batchIndex(context);
        String field = path(context, readingValue(parser.currentToken(), detail));
        return new FrameException(new FrameRejection(code, field, index, message));
    }

    private static String explain(JsonProcessingException e, String detail) {
        String token = quotedToken(detail);
        if (detail.startsWith("Non-standard token") || isNonFinite(token)) {
            return "NaN and Infinity are not JSON numbers; send a finite number or leave the metric out";
        }
        if (e instanceof StreamConstraintsException) {
            return "the body breaks a parser limit: " + withoutApiHints(detail);
        }
        if (detail.contains("(code 39)")) {
            return "JSON needs double quotes around names and strings, not single quotes";
        }
        if (detail.contains("(code 47)")) {
            return "comments are not allowed in JSON";
        }
        if (detail.contains("Leading zeroes")) {
            return "numbers must not have leading zeros (send 7, not 007); send ids with leading zeros as strings";
        }
        if (detail.contains("CTRL-CHAR")) {
            return "control characters inside strings must be escaped (\\n, \\t, \\u0000)";
        }
        if (detail.startsWith("Unrecognized token")) {
            return "the token '" + FrameReader.truncate(token) + "' is not a JSON value; put strings in double quotes";
        }
        return "the body is not valid JSON: " + withoutApiHints(detail);
    }

    /** Jackson's own wording, without the hints about its configuration (of no use to a device author). */
    private static String withoutApiHints(String detail) {
        String text = detail.replace('\n', ' ');
        text = START_MARKER.matcher(text).replaceAll("");
        text = SETTING_HINT.matcher(text).replaceAll("").trim();
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private static String quotedToken(String detail) {
        int start = detail.indexOf('\'');
        int end = start < 0 ? -1 : detail.indexOf('\'', start + 1);
        return end < 0 ? "" : detail.substring(start + 1, end);
    }

    private static boolean isNonFinite(String token) {
        String bare = token.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        return bare.equals("nan") || bare.equals("inf") || bare.equals("infinity");
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() <= 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The position in the top-level array when the body is a batch, else -1. */
    private static int batchIndex(JsonStreamContext innermost) {
        JsonStreamContext top = innermost;
        while (top.getParent() != null && !top.getParent().inRoot()) {
            top = top.getParent();
        }
        return top.inArray() ? top.getCurrentIndex() : -1;
    }

    /**
     * True when the parser failed inside the value of the innermost object's current name: right
     * after the name, or while decoding a string value (Jackson decodes strings lazily).
     */
    private static boolean readingValue(JsonToken last, String detail) {
        return last == JsonToken.FIELD_NAME || (last == JsonToken.VALUE_STRING
            && (detail.contains("string value") || detail.contains("character escape")));
    }

    /**
     * The dotted path of the value being read when the parser failed, or null at the top level.
     * The innermost object's current name belongs in it only while that name's value is being read;
     * after the value it is the previous field's name and is left out.
     */
    private static String path(JsonStreamContext innermost, boolean readingValue) {
        StringBuilder path = new StringBuilder();
        boolean innermostLevel = true;
        for (JsonStreamContext context = innermost; context != null && !context.inRoot();
                context = context.getParent()) {
            boolean batchArray = context.inArray() && context.getParent().inRoot();
            String name = context.inObject() ? context.getCurrentName() : null;
            if (context.inArray() && !batchArray) {
                path.insert(0, "[" + context.getCurrentIndex() + "]");
            } else if (name != null && (!innermostLevel || readingValue)) {
                path.insert(0, "." + name);
            }
            innermostLevel = false;
        }
        if (path.length() > 0 && path.charAt(0) == '.') {
            path.deleteCharAt(0);
        }
        return path.length() == 0 ? null : FrameReader.truncate(path.toString());
    }
}
