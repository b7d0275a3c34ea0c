package io.choralstorm.topology.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a CQL script (such as cql/schema.cql, also on the classpath as {@link #SCHEMA_RESOURCE})
 * statement by statement through a session. The schema script is idempotent, so applying it again is safe.
 */
public final class SchemaApplier {
    /** Classpath copy of the project's cql/schema.cql. */
    public static final String SCHEMA_RESOURCE = "/cql/schema.cql";
    /** The keyspace cql/schema.cql creates; its schema_version table records the applied versions. */
    public static final String KEYSPACE = "choraldatastream";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaApplier.class);
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private final CqlSession session;

    public SchemaApplier(CqlSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** Applies the project schema from the classpath; returns the number of statements run. */
    public int applySchema() {
        return applyResource(SCHEMA_RESOURCE);
    }

    public int applyResource(String resource) {
        try (InputStream in = SchemaApplier.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("CQL resource " + resource + " is not on the classpath");
            }
            return apply(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CQL resource " + resource, e);
        }
    }

    public int applyFile(Path file) {
        try {
            return apply(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CQL file " + file, e);
        }
    }

    /** Runs each statement of {@code script} in order; {@code origin} names it in logs and errors. */
    public int apply(String script, String origin) {
        List<String> statements = CqlScript.statements(script);
        LOG.info("[choralstorm] applying {} CQL statements from {}", statements.size(), origin);
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            try {
                session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT));
            } catch (RuntimeException e) {
                throw new IllegalStateException("statement " + (i + 1) + " of " + origin + " failed ("
                    + firstLine(statement) + "): " + e.getMessage(), e);
            }
            LOG.debug("[choralstorm] applied {}", firstLine(statement));
        }
        return statements.size();
    }

    /**
     * The newest schema version recorded in {@value #KEYSPACE}.schema_version, or empty when the keyspace or
     * the table does not exist yet (a keyspace created before version 2 has no version table).
     */
    public Optional<Integer> recordedVersion() {
        boolean hasTable = session.refreshSchema().getKeyspace(KEYSPACE)
            .flatMap(keyspace -> keyspace.getTable("schema_version")).isPresent();
        if (!hasTable) {
            return Optional.empty();
        }
        Row row = session.execute(SimpleStatement.newInstance("SELECT version FROM " + KEYSPACE
            + ".schema_version WHERE schema_name = ? LIMIT 1", KEYSPACE)).one();
        return row == null ? Optional.empty() : Optional.of(row.getInt(0));
    }

    private static String firstLine(String statement) {
        int newline = statement.indexOf('\n');
        return newline < 0 ? statement : statement.substring(0, newline) + " ...";
    }
}
