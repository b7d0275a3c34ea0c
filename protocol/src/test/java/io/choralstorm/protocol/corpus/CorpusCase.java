package io.choralstorm.protocol.corpus;

import io.choralstorm.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/** One line of corpus/index.tsv: a request body, how it is sent, and the answer the contract promises. */
public final class CorpusCase {
    /** The field column value that accepts any field. */
    public static final String ANY_FIELD = "*";

    private final String name;
    private final String bodyRef;
    private final String method;
    private final String contentType;
    private final String contentEncoding;
    private final boolean chunked;
    private final int status;
    private final String code;
    private final String field;
    private final List<Integer> indexes;
    private final int frames;
    private final String about;

    CorpusCase(String[] columns) {
        this.name = columns[0];
        this.bodyRef = columns[1];
        this.method = columns[2];
        this.contentType = orNull(columns[3]);
        this.contentEncoding = orNull(columns[4]);
        this.chunked = "chunked".equals(columns[5]);
        this.status = Integer.parseInt(columns[6]);
        this.code = orNull(columns[7]);
        this.field = orNull(columns[8]);
        this.indexes = columns[9].equals("-") ? List.of()
            : Arrays.stream(columns[9].split(",")).map(Integer::valueOf).collect(Collectors.toList());
        this.frames = Integer.parseInt(columns[10]);
        this.about = columns.length > 11 ? columns[11] : "";
    }

    public String name() {
        return name;
    }

    /** The body exactly as it goes on the wire (still gzip-compressed when the case says gzip). */
    public byte[] body() {
        return CorpusBodies.load(bodyRef);
    }

    /** The body a server's validator sees: the wire body, inflated when it was sent gzip-compressed. */
    public byte[] decodedBody() {
        byte[] wire = body();
        if (!"gzip".equals(contentEncoding)) {
            return wire;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("case " + name + " holds a gzip body that does not inflate", e);
        }
    }

    public String method() {
        return method;
    }

    /** The Content-Type header to send, or null for none. */
    public String contentType() {
        return contentType;
    }

    /** The Content-Encoding header to send, or null for none. */
    public String contentEncoding() {
        return contentEncoding;
    }

    public boolean chunked() {
        return chunked;
    }

    public int status() {
        return status;
    }

    /** The expected error code, or null when the case is accepted. */
    public String code() {
        return code;
    }

    /** The expected field of the (first) error, null for none, or {@link #ANY_FIELD}. */
    public String field() {
        return field;
    }

    /** The batch positions of every expected rejection, in order (empty for a single frame). */
    public List<Integer> indexes() {
        return indexes;
    }

    /** How many frames the case publishes (0 for every refusal: nothing partial). */
    public int frames() {
        return frames;
    }

    public String about() {
        return about;
    }

    /**
     * True when the validator alone decides the answer: an accepted body or a refusal with one of
     * the validator's codes. Method, content type, size and gzip errors are the HTTP edge's.
     */
    public boolean decidedByValidator() {
        return status == 202 || (status == 400 && isValidatorCode(code));
    }

    private static boolean isValidatorCode(String wireName) {
        return Arrays.stream(ErrorCode.values()).anyMatch(c -> c.wireName().equals(wireName));
    }

    private static String orNull(String column) {
        return column.equals("-") ? null : column;
    }

    @Override
    public String toString() {
        return name;
    }
}
