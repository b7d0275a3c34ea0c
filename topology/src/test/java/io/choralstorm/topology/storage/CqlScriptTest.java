package io.choralstorm.topology.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class CqlScriptTest {

    @Test
    public void schemaResourceCreatesTheTablesIdempotentlyAndRecordsItsVersionLast() throws IOException {
        // given the classpath copy of cql/schema.cql
        String schema;
        try (InputStream in = CqlScriptTest.class.getResourceAsStream(SchemaApplier.SCHEMA_RESOURCE)) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // when split
        List<String> statements = CqlScript.statements(schema);

        // then the keyspace and the storage tables, each idempotent, comments gone, the version record last
        assertTrue("keyspace first", statements.get(0).startsWith("CREATE KEYSPACE IF NOT EXISTS choraldatastream"));
        for (String table : List.of("raw_data", "readings", "rollup_minute", "rollup_hour", "rollup_day",
                "schema_version")) {
            assertTrue(table, statements.stream()
                .anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS choraldatastream." + table + " (")));
        }
        String last = statements.get(statements.size() - 1);
        assertTrue("version recorded last: " + last,
            last.startsWith("INSERT INTO choraldatastream.schema_version (schema_name, version,"));
        statements.subList(0, statements.size() - 1).forEach(s -> assertTrue("idempotent: " + s,
            s.startsWith("CREATE KEYSPACE IF NOT EXISTS") || s.startsWith("CREATE TABLE IF NOT EXISTS")));
        statements.forEach(s -> assertTrue("no comment left in: " + s, !s.contains("--")));
    }

    @Test
    public void semicolonsInCommentsAndLiteralsDoNotSplit() {
        String script = "-- a comment; with a semicolon\n"
            + "CREATE TABLE a (x int PRIMARY KEY) WITH comment = 'it''s; fine';\n"
            + "/* block; comment */ INSERT INTO \"we;ird\" (x) VALUES (1);\n"
            + "// another; comment\n"
            + "SELECT $$a;b$$ FROM t;  \n\n  ;";

        assertEquals("statements", List.of(
            "CREATE TABLE a (x int PRIMARY KEY) WITH comment = 'it''s; fine'",
            "INSERT INTO \"we;ird\" (x) VALUES (1)",
            "SELECT $$a;b$$ FROM t"), CqlScript.statements(script));
    }

    @Test
    public void lastStatementNeedsNoSemicolon() {
        assertEquals("statements", List.of("SELECT 1", "SELECT 2"), CqlScript.statements("SELECT 1; SELECT 2"));
    }

    @Test
    public void unterminatedLiteralIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CqlScript.statements("SELECT 'oops;"));
        assertTrue("names the problem: " + e.getMessage(), e.getMessage().contains("unterminated"));
    }
}
