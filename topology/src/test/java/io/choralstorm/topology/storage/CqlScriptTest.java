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
    public void schemaResourceHoldsKeyspaceAndBothTables() throws IOException {
        // given the classpath copy of cql/schema.cql
        String schema;
        try (InputStream in = CqlScriptTest.class.getResourceAsStream(SchemaApplier.SCHEMA_RESOURCE)) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // when split
        List<String> statements = CqlScript.statements(schema);

        // then three idempotent statements, comments gone
        assertEquals("statements", 3, statements.size());
        assertTrue("keyspace first", statements.get(0).startsWith("CREATE KEYSPACE IF NOT EXISTS choraldatastream"));
        assertTrue("raw_data", statements.get(1).startsWith("CREATE TABLE IF NOT EXISTS choraldatastream.raw_data"));
        assertTrue("readings", statements.get(2).startsWith("CREATE TABLE IF NOT EXISTS choraldatastream.readings"));
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
