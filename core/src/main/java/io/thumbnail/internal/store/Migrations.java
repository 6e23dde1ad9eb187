package io.thumbnail.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as numbered steps. Each step runs once, in its own transaction, and is recorded in
 * {@code schema_version}; re-opening a database runs only the steps it has not seen. Never edit a released step:
 * add the next one.
 */
public final class Migrations {

    /** One schema step. */
    public record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "jobs", List.of(
                    "CREATE TABLE jobs ("
                            + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                            + " id TEXT NOT NULL UNIQUE,"
                            + " status TEXT NOT NULL,"
                            + " spec TEXT NOT NULL,"
                            + " source_name TEXT, source_bytes INTEGER NOT NULL, source_format TEXT,"
                            + " source_width INTEGER, source_height INTEGER, source_sha256 TEXT,"
                            + " result_format TEXT, result_width INTEGER, result_height INTEGER,"
                            + " result_bytes INTEGER, result_sha256 TEXT,"
                            + " error_code TEXT, error_message TEXT,"
                            + " attempts INTEGER NOT NULL DEFAULT 0,"
                            + " created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,"
                            + " run_after INTEGER NOT NULL,"
                            + " lease_owner TEXT, lease_until INTEGER,"
                            + " batch_id TEXT, owner TEXT)",
                    "CREATE INDEX jobs_by_status ON jobs(status, seq)",
                    "CREATE INDEX jobs_by_source ON jobs(source_sha256, spec)",
                    "CREATE INDEX jobs_by_result ON jobs(result_sha256)")),
            new Migration(2, "batches", List.of(
                    "CREATE TABLE batches (id TEXT PRIMARY KEY, total INTEGER NOT NULL, created_at INTEGER NOT NULL,"
                            + " owner TEXT)",
                    "CREATE INDEX jobs_by_batch ON jobs(batch_id, seq)")),
            new Migration(3, "owner listing and retention indexes", List.of(
                    "CREATE INDEX jobs_by_owner ON jobs(owner, seq)",
                    "CREATE INDEX jobs_by_finished ON jobs(finished_at)")),
            new Migration(4, "URL sources and publishing", List.of(
                    "ALTER TABLE jobs ADD COLUMN source_url TEXT",
                    "ALTER TABLE jobs ADD COLUMN publish_target TEXT",
                    "ALTER TABLE jobs ADD COLUMN published_link TEXT",
                    "ALTER TABLE jobs ADD COLUMN published_deletehash TEXT",
                    "ALTER TABLE jobs ADD COLUMN publish_error_code TEXT",
                    "ALTER TABLE jobs ADD COLUMN publish_error_message TEXT",
                    "CREATE INDEX jobs_by_publish_target ON jobs(publish_target, seq)")),
            // Most rows leave these columns empty (no batch, owner or publication; no result or finish time until
            // done), and indexing the empty ones cost every insert a page write per index. Every query on them names
            // a value, so the partial indexes serve it.
            new Migration(5, "indexes skip rows without the indexed value", List.of(
                    "DROP INDEX jobs_by_result",
                    "CREATE INDEX jobs_by_result ON jobs(result_sha256) WHERE result_sha256 IS NOT NULL",
                    "DROP INDEX jobs_by_batch",
                    "CREATE INDEX jobs_by_batch ON jobs(batch_id, seq) WHERE batch_id IS NOT NULL",
                    "DROP INDEX jobs_by_owner",
                    "CREATE INDEX jobs_by_owner ON jobs(owner, seq) WHERE owner IS NOT NULL",
                    "DROP INDEX jobs_by_finished",
                    "CREATE INDEX jobs_by_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL",
                    "DROP INDEX jobs_by_publish_target",
                    "CREATE INDEX jobs_by_publish_target ON jobs(publish_target, seq) WHERE publish_target IS NOT NULL")),
            // Counts an owner's queued jobs against its share of the queue without reading its finished ones.
            new Migration(6, "queued jobs by owner", List.of(
                    "CREATE INDEX jobs_queued_by_owner ON jobs(owner) WHERE status = 'QUEUED' AND owner IS NOT NULL")),
            new Migration(7, "a second format of the thumbnail for clients without WebP", List.of(
                    "ALTER TABLE jobs ADD COLUMN fallback_format TEXT",
                    "ALTER TABLE jobs ADD COLUMN fallback_bytes INTEGER",
                    "ALTER TABLE jobs ADD COLUMN fallback_sha256 TEXT",
                    "CREATE INDEX jobs_by_fallback ON jobs(fallback_sha256) WHERE fallback_sha256 IS NOT NULL")),
            // A claim reads the head of each priority's queue from this index: a few rows, however long the queue.
            new Migration(8, "priorities", List.of(
                    "ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 1",
                    "CREATE INDEX jobs_queued_by_priority ON jobs(priority, seq) WHERE status = 'QUEUED'")),
            // Random secrets made once per database, so every node sharing it derives the same keys from them.
            new Migration(9, "secrets the service derives its keys from", List.of(
                    "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL, created_at INTEGER NOT NULL)")),
            // A job's callback lives on its row, so the finish that makes its delivery due commits it too; a try is
            // claimed by moving callback_due ahead, so that one node alone makes it.
            new Migration(10, "webhook callbacks", List.of(
                    "ALTER TABLE jobs ADD COLUMN callback_url TEXT",
                    "ALTER TABLE jobs ADD COLUMN callback_status TEXT",
                    "ALTER TABLE jobs ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE jobs ADD COLUMN callback_error TEXT",
                    "ALTER TABLE jobs ADD COLUMN callback_due INTEGER",
                    "CREATE INDEX jobs_callback_pending ON jobs(seq) WHERE callback_status = 'pending'",
                    "ALTER TABLE batches ADD COLUMN callback_url TEXT",
                    "ALTER TABLE batches ADD COLUMN callback_status TEXT",
                    "ALTER TABLE batches ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE batches ADD COLUMN callback_error TEXT",
                    "ALTER TABLE batches ADD COLUMN callback_due INTEGER")),
            // Of the nodes that find a publication pending, the one whose conditional update claims its lease
            // publishes it. The partial index holds only the publications neither made nor failed, so the look for
            // pending ones (every node, every minute) reads those and not every done job.
            new Migration(11, "publication leases", List.of(
                    "ALTER TABLE jobs ADD COLUMN publish_owner TEXT",
                    "ALTER TABLE jobs ADD COLUMN publish_until INTEGER",
                    "CREATE INDEX jobs_publication_pending ON jobs(status, seq) WHERE publish_target IS NOT NULL"
                            + " AND published_link IS NULL AND publish_error_code IS NULL")),
            // A job taken back because its process died may be what killed it: the mark on its row tells whichever
            // node claims it next to run it alone there.
            new Migration(12, "crash suspects", List.of(
                    "ALTER TABLE jobs ADD COLUMN suspect INTEGER NOT NULL DEFAULT 0")));

    private Migrations() {
    }

    /** The version a fully migrated database has. */
    public static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /** Brings the schema up to the latest version; returns how many steps ran. */
    public static int migrate(Connection connection, long nowMillis) throws SQLException {
        return migrate(connection, latest(), nowMillis);
    }

    /** Brings the schema up to {@code target} (tests use a lower target to build an old database). */
    public static int migrate(Connection connection, int target, long nowMillis) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                    + " description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        }
        int current = currentVersion(connection);
        if (current > latest()) {
            throw new IllegalStateException("the database schema is version " + current
                    + ", newer than this build knows (" + latest() + "); use a newer build");
        }
        int ran = 0;
        connection.setAutoCommit(false);
        try {
            for (Migration m : ALL) {
                if (m.version() <= current || m.version() > target) {
                    continue;
                }
                try (Statement st = connection.createStatement()) {
                    for (String sql : m.statements()) {
                        st.execute(sql);
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setLong(3, nowMillis);
                    ps.executeUpdate();
                }
                connection.commit();
                ran++;
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return ran;
    }

    /** The highest recorded version, 0 for an empty database. */
    public static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
