package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {
    @TempDir
    Path dir;

    private List<String> recordedVersions(Path file) throws SQLException {
        try (Database db = Database.open(file); Connection c = db.readers().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, applied_at FROM schema_version ORDER BY version")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getInt(1) + "@" + rs.getLong(2));
            }
            return rows;
        }
    }

    @Test
    void new_database_is_migrated_to_the_latest_version_one_recorded_step_at_a_time() throws SQLException {
        Path file = dir.resolve("jobs.db");
        SqliteJobStore.open(file, T0, job -> { }).close();

        assertThat(recordedVersions(file)).as("schema_version rows").hasSize(Migrations.latest())
                .last().isEqualTo(Migrations.latest() + "@" + T0.toEpochMilli());
    }

    @Test
    void lookups_by_result_batch_owner_and_publication_use_the_indexes_that_skip_empty_values()
            throws SQLException {
        Path file = dir.resolve("jobs.db");
        SqliteJobStore.open(file, T0, job -> { }).close();

        assertThat(plan(file, "SELECT 1 FROM jobs WHERE result_sha256 = 'x'")).as("reference by result")
                .contains("jobs_by_result");
        assertThat(plan(file, "SELECT * FROM jobs WHERE batch_id = 'x' ORDER BY seq")).as("batch items")
                .contains("jobs_by_batch");
        assertThat(plan(file, "SELECT * FROM jobs WHERE seq < 9 AND owner = 'x' ORDER BY seq DESC LIMIT 5"))
                .as("listing by owner").contains("jobs_by_owner");
        assertThat(plan(file, "SELECT * FROM jobs WHERE seq < 9 AND publish_target = 'imgur'"
                + " AND published_link IS NOT NULL ORDER BY seq DESC LIMIT 5")).as("listing published")
                .contains("jobs_by_publish_target");
        assertThat(plan(file, "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED' AND owner = 'x'"
                + " LIMIT 5)")).as("an owner's queued jobs").contains("jobs_queued_by_owner");
    }

    private static String plan(Path file, String sql) throws SQLException {
        try (Database db = Database.open(file); Connection c = db.readers().getConnection();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
            return plan.toString();
        }
    }

    @Test
    void reopening_runs_no_step_again() throws SQLException {
        Path file = dir.resolve("jobs.db");
        SqliteJobStore.open(file, T0, job -> { }).close();
        List<String> before = recordedVersions(file);

        SqliteJobStore.open(file, T0.plusSeconds(3600), job -> { }).close();

        assertThat(recordedVersions(file)).as("schema_version after reopening (applied_at unchanged)")
                .isEqualTo(before);
        try (Database db = Database.open(file); Connection c = db.writer().getConnection()) {
            assertThat(Migrations.migrate(c, T0.toEpochMilli())).as("steps run on a migrated database").isZero();
        }
    }

    @Test
    void old_database_is_upgraded_and_keeps_its_jobs() throws SQLException {
        Path file = dir.resolve("jobs.db");
        Job old = StoreFixtures.queued(T0);
        try (Database db = Database.open(file); Connection c = db.writer().getConnection()) {
            Migrations.migrate(c, 1, T0.toEpochMilli());
            insertAsVersion1(c, old);
        }
        assertThat(recordedVersions(file)).as("the version 1 database").hasSize(1);

        Instant upgradedAt = T0.plusSeconds(60);
        try (SqliteJobStore store = SqliteJobStore.open(file, upgradedAt, job -> { })) {
            assertThat(store.get(old.id())).as("job written under version 1").contains(old);
            assertThat(store.batch(java.util.UUID.randomUUID())).as("batches table added by version 2").isEmpty();
        }
        assertThat(recordedVersions(file)).as("versions after the upgrade")
                .contains("1@" + T0.toEpochMilli(), Migrations.latest() + "@" + upgradedAt.toEpochMilli());
    }

    /** A queued job as version 1 stored it: only the columns that schema had (later steps add more). */
    private static void insertAsVersion1(Connection c, Job job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, status, spec, source_name, source_bytes,"
                + " source_format, source_width, source_height, source_sha256, attempts, created_at, run_after, owner)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, job.id().toString());
            ps.setString(2, job.status().name());
            ps.setString(3, SpecCodec.encode(job.spec()));
            ps.setString(4, job.source().name());
            ps.setLong(5, job.source().bytes());
            ps.setString(6, job.source().format().id());
            ps.setInt(7, job.source().width());
            ps.setInt(8, job.source().height());
            ps.setString(9, job.source().sha256());
            ps.setInt(10, job.attempts());
            ps.setLong(11, job.createdAt().toEpochMilli());
            ps.setLong(12, job.createdAt().toEpochMilli());
            ps.setString(13, job.owner());
            ps.executeUpdate();
        }
    }

    @Test
    void a_database_from_before_publication_leases_is_upgraded_and_keeps_its_pending_publications()
            throws SQLException {
        Path file = dir.resolve("jobs.db");
        UUID pending = UUID.randomUUID();
        try (Database db = Database.open(file); Connection c = db.writer().getConnection()) {
            Migrations.migrate(c, 10, T0.toEpochMilli());
            insertDoneAsVersion10(c, pending, "imgur");
        }

        try (SqliteJobStore store = SqliteJobStore.open(file, T0.plusSeconds(60), job -> { })) {
            assertThat(store.get(pending).orElseThrow().publication()).as("the publication, read back")
                    .isEqualTo(Publication.pending("imgur"));
            assertThat(store.publications().claimable("node", T0.plusSeconds(60))).as("claimable after the upgrade")
                    .containsExactly(pending);
            assertThat(store.publications().claim(pending, "node", T0.plusSeconds(60), Duration.ofSeconds(30)))
                    .as("claimed after the upgrade").isTrue();
        }
        assertThat(plan(file, "SELECT id FROM jobs WHERE status = 'DONE' AND publish_target IS NOT NULL"
                + " AND published_link IS NULL AND publish_error_code IS NULL"
                + " AND (publish_owner IS NULL OR publish_owner = 'a' OR publish_until <= 0) ORDER BY seq"))
                .as("the look for pending publications, not through every done job")
                .contains("USING INDEX jobs_publication_pending");
    }

    /** A done job whose publication is pending, as version 10 stored it. */
    private static void insertDoneAsVersion10(Connection c, UUID id, String target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, status, spec, source_name, source_bytes,"
                + " source_format, source_sha256, result_format, result_width, result_height, result_bytes,"
                + " result_sha256, created_at, finished_at, run_after, publish_target)"
                + " VALUES (?, 'DONE', ?, 'a.png', 10, 'png', ?, 'png', 1, 1, 5, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.toString());
            ps.setString(2, SpecCodec.encode(ThumbnailSpec.box(10, 10)));
            ps.setString(3, StoreFixtures.sha("source"));
            ps.setString(4, StoreFixtures.sha("thumbnail"));
            ps.setLong(5, T0.toEpochMilli());
            ps.setLong(6, T0.toEpochMilli());
            ps.setLong(7, T0.toEpochMilli());
            ps.setString(8, target);
            ps.executeUpdate();
        }
    }

    @Test
    void a_database_from_before_crash_suspects_is_upgraded_and_its_jobs_are_suspects_only_once_taken_back()
            throws SQLException {
        Path file = dir.resolve("jobs.db");
        Job queued = StoreFixtures.queued(T0);
        try (Database db = Database.open(file); Connection c = db.writer().getConnection()) {
            Migrations.migrate(c, 11, T0.toEpochMilli());
            insertAsVersion1(c, queued);
        }

        Instant upgradedAt = T0.plusSeconds(60);
        try (SqliteJobStore store = SqliteJobStore.open(file, upgradedAt, job -> { })) {
            assertThat(store.suspects()).as("suspects after the upgrade").isZero();
            JobStore.Claim claim = store.claimNext("node", upgradedAt, Duration.ofSeconds(30), Duration.ofMinutes(5))
                    .orElseThrow();
            assertThat(claim.suspect()).as("a job queued before the upgrade, claimed: a suspect").isFalse();
            store.releaseLeases("node", upgradedAt.plusSeconds(1), 3,
                    new JobError(ErrorCode.TIMEOUT, "its worker stopped"));
            assertThat(store.suspects()).as("suspects once it was released at a start").isEqualTo(1);
        }
    }

    @Test
    void database_from_a_newer_build_is_refused() throws SQLException {
        Path file = dir.resolve("jobs.db");
        SqliteJobStore.open(file, T0, job -> { }).close();
        try (Database db = Database.open(file); Connection c = db.writer().getConnection();
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (" + (Migrations.latest() + 1) + ", 'future', 0)");
        }

        assertThatThrownBy(() -> SqliteJobStore.open(file, T0, job -> { })).as("opening a newer schema")
                .hasMessageContaining("newer than this build");
    }
}
