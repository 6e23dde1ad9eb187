package io.thumbnail.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite file behind two HikariCP pools: exactly one writer connection, so writes queue in the pool instead of
 * fighting over SQLite's lock (no {@code SQLITE_BUSY}), and a few {@code query_only} readers, which WAL lets run
 * beside the writer so listings and polling never wait behind claims.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long a connection waits on a lock held by another process before failing. */
    public static final int BUSY_TIMEOUT_MILLIS = 5_000;
    public static final int READERS = 4;

    private final HikariDataSource writer;
    private final HikariDataSource readers;
    private final DatabaseFile file;
    private final Jdbc jdbc = new Jdbc();

    private Database(HikariDataSource writer, HikariDataSource readers, DatabaseFile file) {
        this.writer = writer;
        this.readers = readers;
        this.file = file;
    }

    /** Opens (creating if needed) the database file. Call {@link Migrations#migrate} on the writer before use. */
    public static Database open(Path file) {
        try {
            OwnerOnly.restrictDatabase(file);
        } catch (IOException e) {
            // Not this user's file, say: it opens as before, and the operator is told once.
            log.warn("could not make {} readable by its owner only: {}", file, e.toString());
        }
        HikariDataSource writer = pool("thumbnail-writer", file, 1, false);
        try {
            return new Database(writer, pool("thumbnail-reader", file, READERS, true), new DatabaseFile(file));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Refuses, with an {@link IllegalStateException}, when another process has the database file open: opens it alone
     * for a moment in SQLite's exclusive locking mode, which SQLite grants only while no other connection has the
     * file open (a connection to a WAL database holds a shared lock on it for as long as it is open). Other errors are
     * left for the real opening to report.
     */
    public static void checkNotOpenElsewhere(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        config.setBusyTimeout(0);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            rs.next();
        } catch (SQLException e) {
            if (e instanceof SQLiteException se && (se.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                    || se.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED)) {
                // Without the cause: its words ("database is locked") would only blur this reason.
                throw new IllegalStateException(file.getFileName() + " is in use elsewhere (by a thumbnail service"
                        + " whose lock file was deleted, or by a tool such as sqlite3); one service per data directory");
            }
        }
    }

    /**
     * Whether the file holds no job database: missing, empty, or without this store's schema (a database only ever
     * holds one once its first opening has migrated it). A file that is not a database at all is not "empty": opening
     * it reports what is wrong.
     */
    public static boolean isEmpty(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return true;
            }
        } catch (IOException e) {
            return false; // the opening says what is wrong
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_version'")) {
            return rs.next() && rs.getInt(1) == 0;
        } catch (SQLException e) {
            return false; // the opening says what is wrong
        }
    }

    private static HikariDataSource pool(String name, Path file, int size, boolean queryOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode: a commit survives a process crash (kill -9); only power loss may drop the last ones.
        // The store forces the commits a caller is told of (a job accepted or deleted) with FULL, one at a time.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setDataSource(source);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setMaxLifetime(0); // a local file has no server that drops idle connections
        hikari.setConnectionTimeout(30_000);
        if (queryOnly) {
            hikari.setConnectionInitSql("PRAGMA query_only = true");
        }
        return new HikariDataSource(hikari);
    }

    /** The pool of one: every insert, claim and update goes through it. */
    public DataSource writer() {
        return writer;
    }

    public DataSource readers() {
        return readers;
    }

    /** The file, to be {@linkplain DatabaseFile#checkInPlace checked} before every change. */
    DatabaseFile file() {
        return file;
    }

    /** Statements kept for this database's connections. */
    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        readers.close();
        writer.close();
        jdbc.clear();
    }
}
