package io.thumbnail.internal.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** A rollback after a failure SQLite already rolled back by itself keeps the failure that happened. */
class JdbcRollbackTest {
    @TempDir
    Path dir;

    @Test
    void a_rollback_that_finds_no_transaction_leaves_the_first_failure_to_report() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t(x)");
                st.execute("ROLLBACK"); // as SQLite does by itself after a full disk or an I/O error
            }
            SQLException full = new SQLException("database or disk is full");

            Jdbc.rollback(c, full);

            assertThat(full.getSuppressed()).as("the rollback's own failure, kept beside the first")
                    .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("no transaction is active"));
        }
    }
}
