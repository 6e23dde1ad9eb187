package io.thumbnail.internal.store.postgres;

import io.thumbnail.internal.store.Migrations.Migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema, as numbered steps, each run once in its own transaction and recorded in
 * {@code schema_version}. Nodes starting together take turns: each step runs under a transaction-level advisory
 * lock, after reading the version again. Never edit a released step: add the next one.
 *
 * <p>Timestamps are {@code timestamptz}, ids {@code uuid}; the columns are named as in the SQLite store. The claim
 * reads a partial index of the queued jobs only, so its cost does not grow with the finished jobs the table keeps.
 */
final class PostgresMigrations {
    /** The advisory lock key migrations take (a transaction-level lock, released at each step's commit). */
    private static final long LOCK_KEY = 0x7468756d626e6c01L;

    static final List<Migration> ALL = List.of(
            new Migration(1, "jobs and batches", List.of(
                    "CREATE TABLE jobs ("
                            + " seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " id uuid NOT NULL UNIQUE,"
                            + " status text NOT NULL,"
                            + " spec text NOT NULL,"
                            + " source_name text, source_bytes bigint NOT NULL, source_format text,"
                            + " source_width integer, source_height integer, source_sha256 text, source_url text,"
                            + " result_format text, result_width integer, result_height integer,"
                            + " result_bytes bigint, result_sha256 text,"
                            + " fallback_format text, fallback_bytes bigint, fallback_sha256 text,"
                            + " error_code text, error_message text,"
                            + " attempts integer NOT NULL DEFAULT 0,"
                            + " created_at timestamptz NOT NULL, started_at timestamptz, finished_at timestamptz,"
                            + " run_after timestamptz NOT NULL,"
                            + " lease_owner text, lease_until timestamptz,"
                            + " batch_id uuid, owner text,"
                            + " publish_target text, published_link text, published_deletehash text,"
                            + " publish_error_code text, publish_error_message text,"
                            + " priority smallint NOT NULL DEFAULT 1)",
                    "CREATE INDEX jobs_queued ON jobs (seq) WHERE status = 'QUEUED'",
                    "CREATE INDEX jobs_queued_by_priority ON jobs (priority, seq) WHERE status = 'QUEUED'",
                    "CREATE INDEX jobs_queued_by_owner ON jobs (owner) WHERE status = 'QUEUED' AND owner IS NOT NULL",
                    "CREATE INDEX jobs_processing ON jobs (lease_until) WHERE status = 'PROCESSING'",
                    "CREATE INDEX jobs_by_status ON jobs (status, seq)",
                    "CREATE INDEX jobs_by_source ON jobs (source_sha256, spec)",
                    "CREATE INDEX jobs_by_result ON jobs (result_sha256) WHERE result_sha256 IS NOT NULL",
                    "CREATE INDEX jobs_by_fallback ON jobs (fallback_sha256) WHERE fallback_sha256 IS NOT NULL",
                    "CREATE INDEX jobs_by_batch ON jobs (batch_id, seq) WHERE batch_id IS NOT NULL",
                    "CREATE INDEX jobs_by_owner ON jobs (owner, seq) WHERE owner IS NOT NULL",
                    "CREATE INDEX jobs_by_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL",
                    "CREATE INDEX jobs_by_publish_target ON jobs (publish_target, seq) WHERE publish_target IS NOT NULL",
                    "CREATE TABLE batches (id uuid PRIMARY KEY, total integer NOT NULL,"
                            + " created_at timestamptz NOT NULL, owner text)",
                    "CREATE TABLE secrets (name text PRIMARY KEY, value bytea NOT NULL, created_at timestamptz NOT NULL)")),
            // A job's callback lives on its row, so the finish that makes its delivery due commits it too; a try is
            // claimed by moving callback_due ahead, so that one node alone makes it.
            new Migration(2, "webhook callbacks", List.of(
                    "ALTER TABLE jobs ADD COLUMN callback_url text, ADD COLUMN callback_status text,"
                            + " ADD COLUMN callback_attempts integer NOT NULL DEFAULT 0, ADD COLUMN callback_error text,"
                            + " ADD COLUMN callback_due timestamptz",
                    "CREATE INDEX jobs_callback_pending ON jobs (seq) WHERE callback_status = 'pending'",
                    "ALTER TABLE batches ADD COLUMN callback_url text, ADD COLUMN callback_status text,"
                            + " ADD COLUMN callback_attempts integer NOT NULL DEFAULT 0, ADD COLUMN callback_error text,"
                            + " ADD COLUMN callback_due timestamptz")),
            // Of the nodes that find a publication pending, the one whose conditional update claims its lease
            // publishes it. The partial index holds only the publications neither made nor failed, so the look for
            // pending ones (every node, every minute) reads those and not every done job.
            new Migration(3, "publication leases", List.of(
                    "ALTER TABLE jobs ADD COLUMN publish_owner text, ADD COLUMN publish_until timestamptz",
                    "CREATE INDEX jobs_publication_pending ON jobs (status, seq) WHERE publish_target IS NOT NULL"
                            + " AND published_link IS NULL AND publish_error_code IS NULL")),
            // A job taken back because its node died may be what killed it: the mark on its row tells whichever node
            // claims it next to run it alone there. (A column with a constant default is added without a rewrite.)
            new Migration(4, "crash suspects", List.of(
                    "ALTER TABLE jobs ADD COLUMN suspect boolean NOT NULL DEFAULT false")));

    private PostgresMigrations() {
    }

    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /** Brings the schema up to the latest version; returns how many steps this call ran. */
    static int migrate(Connection c) throws SQLException {
        return migrate(c, latest());
    }

    /** Brings the schema up to {@code target} (tests use a lower target to build an old database). */
    static int migrate(Connection c, int target) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int ran = 0;
        c.setAutoCommit(false);
        try {
            while (true) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                    st.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                            + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                }
                int current = currentVersion(c);
                if (current > latest()) {
                    throw new IllegalStateException("the database schema is version " + current
                            + ", newer than this build knows (" + latest() + "); use a newer build");
                }
                if (current >= target) {
                    c.commit();
                    return ran;
                }
                Migration next = ALL.get(current);
                try (Statement st = c.createStatement()) {
                    for (String sql : next.statements()) {
                        st.execute(sql);
                    }
                }
                Sql.update(c, "INSERT INTO schema_version (version, description) VALUES (?, ?)", next.version(),
                        next.description());
                c.commit();
                ran++;
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        return (int) Sql.number(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    }
}
