package io.choralstorm.protocol.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The table of good and bad frames in corpus/index.tsv, loaded from the classpath (this module's
 * test resources, or its test-jar in the modules that run the corpus over HTTP).
 */
public final class Corpus {
    static final String ROOT = "/corpus/";
    private static final int COLUMNS = 12;

    private Corpus() {
    }

    public static List<CorpusCase> load() {
        List<CorpusCase> cases = new ArrayList<>();
        try (InputStream in = Corpus.class.getResourceAsStream(ROOT + "index.tsv")) {
            if (in == null) {
                throw new IllegalStateException("corpus/index.tsv is not on the classpath (protocol's test-jar?)");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                cases.add(parse(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading corpus/index.tsv failed", e);
        }
        return cases;
    }

    /** The cases as JUnit Parameterized wants them, one array per case. */
    public static List<Object[]> asParameters(List<CorpusCase> cases) {
        return cases.stream().map(c -> new Object[] {c}).collect(Collectors.toList());
    }

    private static CorpusCase parse(String line) {
        String[] columns = line.split("\t", -1);
        if (columns.length != COLUMNS) {
            throw new IllegalStateException("corpus/index.tsv: expected " + COLUMNS + " tab-separated columns, got "
                + columns.length + " in: " + line);
        }
        return new CorpusCase(columns);
    }
}
