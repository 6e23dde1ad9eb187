package io.thumbnail.internal.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriterConnectionTest {
    @TempDir
    Path dir;
    private WriterConnection writer;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @BeforeEach
    void open() throws SQLException {
        writer = new WriterConnection(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("w.db")), 200);
        try (Connection c = writer.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INTEGER)");
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        other.shutdownNow();
        other.awaitTermination(10, TimeUnit.SECONDS);
        writer.close();
    }

    private Future<Connection> borrowOnOtherThread() {
        return other.submit(() -> writer.getConnection());
    }

    @Test
    void another_thread_times_out_while_the_connection_is_lent() throws Exception {
        try (Connection held = writer.getConnection()) {
            Future<Connection> waiting = borrowOnOtherThread();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).as("borrowing while another thread holds it")
                    .hasCauseInstanceOf(SQLTransientConnectionException.class);
        }
    }

    @Test
    void a_given_back_connection_is_lent_to_another_thread() throws Exception {
        writer.getConnection().close();
        Connection second = borrowOnOtherThread().get(10, TimeUnit.SECONDS);
        assertThat(second.isClosed()).as("the connection lent to the other thread is open").isFalse();
        other.submit(() -> {
            second.close();
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void the_same_thread_asking_again_before_giving_it_back_is_refused() throws SQLException {
        try (Connection held = writer.getConnection()) {
            assertThatThrownBy(writer::getConnection).as("a nested borrow on the same thread")
                    .isInstanceOf(SQLException.class).hasMessageContaining("nested");
        }
    }

    @Test
    void a_transaction_left_open_is_rolled_back_when_the_connection_is_given_back() throws SQLException {
        try (Connection c = writer.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO t VALUES (1)");
        }
        try (Connection c = writer.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            assertThat(c.getAutoCommit()).as("auto-commit of the next borrower").isTrue();
            rs.next();
            assertThat(rs.getInt(1)).as("rows left by the uncommitted transaction").isZero();
        }
    }

    @Test
    void a_given_back_connection_refuses_further_use() throws SQLException {
        Connection c = writer.getConnection();
        c.close();
        assertThat(c.isClosed()).as("isClosed after giving it back").isTrue();
        assertThatThrownBy(c::createStatement).as("using it after giving it back").isInstanceOf(SQLException.class);
    }

    @Test
    void giving_it_back_twice_does_not_give_away_another_borrowers_hold() throws Exception {
        Connection first = writer.getConnection();
        first.close();
        try (Connection held = writer.getConnection()) {
            first.close();
            Future<Connection> waiting = borrowOnOtherThread();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).as("borrowing while the second hold lasts")
                    .hasCauseInstanceOf(SQLTransientConnectionException.class);
        }
    }
}
