package io.thumbnail.internal.store;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTest {
    @TempDir
    Path dir;
    private Database database;

    @BeforeEach
    void open() {
        database = Database.open(dir.resolve("jobs.db"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static String pragma(DataSource pool, String name) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void writer_and_readers_use_wal() throws SQLException {
        assertThat(pragma(database.writer(), "journal_mode")).as("writer journal_mode").isEqualTo("wal");
        assertThat(pragma(database.readers(), "journal_mode")).as("reader journal_mode").isEqualTo("wal");
    }

    @Test
    void synchronous_is_normal() throws SQLException {
        // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
        assertThat(pragma(database.writer(), "synchronous")).as("writer synchronous").isEqualTo("1");
        assertThat(pragma(database.readers(), "synchronous")).as("reader synchronous").isEqualTo("1");
    }

    @Test
    void busy_timeout_is_set() throws SQLException {
        assertThat(pragma(database.writer(), "busy_timeout")).as("writer busy_timeout")
                .isEqualTo(Integer.toString(Database.BUSY_TIMEOUT_MILLIS));
        assertThat(pragma(database.readers(), "busy_timeout")).as("reader busy_timeout")
                .isEqualTo(Integer.toString(Database.BUSY_TIMEOUT_MILLIS));
    }

    @Test
    void there_is_exactly_one_writer_connection() {
        assertThat(((HikariDataSource) database.writer()).getMaximumPoolSize()).as("writer pool size").isEqualTo(1);
    }

    @Test
    void readers_cannot_write() throws SQLException {
        try (Connection c = database.readers().getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("CREATE TABLE t (x INTEGER)")).as("write through a reader")
                    .isInstanceOf(SQLException.class);
        }
    }
}
