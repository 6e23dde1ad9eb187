package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing accepted is lost: SIGKILL the service mid-work, start it again, and every job ends done. */
class CrashTest {
    private static final int JOBS = 500;

    @TempDir
    Path dir;

    @Test
    void every_job_of_a_killed_service_ends_done_after_a_restart_with_no_orphan_files() throws Exception {
        Path dataDir = dir.resolve("data");
        Process child = startChild(dataDir);
        try {
            ChildJvm.awaitLine(child, "submitted " + JOBS, Duration.ofMinutes(3), dir.resolve("child.err"));
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close()
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }

        Map<String, Integer> atKill = statusCounts(dataDir);
        assertThat(atKill.values().stream().mapToInt(Integer::intValue).sum()).as("jobs stored at kill")
                .isEqualTo(JOBS);
        assertThat(atKill.getOrDefault("PROCESSING", 0)).as("jobs processing at kill " + atKill).isPositive();
        assertThat(atKill.getOrDefault("DONE", 0)).as("jobs done at kill").isLessThan(JOBS);

        try (ThumbnailService service = ThumbnailService.builder().dataDir(dataDir).workers(2).build()) {
            List<Job> jobs = allJobs(service);
            assertThat(jobs).as("jobs after restart").hasSize(JOBS);
            Set<String> referenced = new HashSet<>();
            for (Job job : jobs) {
                Job done = service.await(job.id(), Duration.ofMinutes(3));
                assertThat(done.status()).as("status of " + done.source().name()).isEqualTo(JobStatus.DONE);
                assertThat(service.thumbnailBytes(done.id())).as("thumbnail of " + done.source().name())
                        .isNotEmpty();
                assertThat(done.result().width()).as("thumbnail width of " + done.source().name())
                        .isEqualTo(done.spec().width());
                referenced.add(done.source().sha256());
                referenced.add(done.result().sha256());
            }
            assertThat(referenced).as("distinct originals and thumbnails").hasSize(2 * JOBS);
            assertThat(storedFiles(dataDir)).as("files in the blob store (no orphans, nothing missing)")
                    .isEqualTo(referenced);
        }
    }

    private Process startChild(Path dataDir) throws IOException {
        return ChildJvm.start(CrashChild.class, "512m", dir.resolve("child.err"), dataDir.toString(),
                Integer.toString(JOBS));
    }

    private static Map<String, Integer> statusCounts(Path dataDir) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("jobs.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM jobs GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    private static List<Job> allJobs(ThumbnailService service) {
        List<Job> jobs = new ArrayList<>();
        Page<Job> page = service.list(JobQuery.all().withLimit(JobQuery.MAX_LIMIT));
        jobs.addAll(page.items());
        while (page.next() != null) {
            page = service.list(JobQuery.all().withLimit(JobQuery.MAX_LIMIT).withCursor(page.next()));
            jobs.addAll(page.items());
        }
        return jobs;
    }

    /** The files in the store (leftovers of the kill, which the restart sets aside in the quarantine, excluded). */
    private static Set<String> storedFiles(Path dataDir) throws IOException {
        Path quarantine = dataDir.resolve("blobs").resolve("quarantine");
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(quarantine))
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

}
