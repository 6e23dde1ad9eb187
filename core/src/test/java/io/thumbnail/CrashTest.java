package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletableFuture;
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
            awaitLine(child, "submitted " + JOBS, Duration.ofMinutes(3));
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
                assertThat(service.thumbnailFile(done.id())).as("thumbnail of " + done.source().name())
                        .isRegularFile();
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may run tests from a manifest-only jar; its Class-Path entries carry over to the child.
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dataDir.toString(), Integer.toString(JOBS));
        pb.redirectError(dir.resolve("child.err").toFile());
        return pb.start();
    }

    private void awaitLine(Process child, String expected, Duration timeout) throws Exception {
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(expected)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean found;
        try {
            found = seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            found = false;
        }
        assertThat(found).as("child printed '" + expected + "' (stderr: " + childErrors() + ")").isTrue();
    }

    private String childErrors() {
        try {
            String err = Files.readString(dir.resolve("child.err"));
            return err.length() > 2000 ? err.substring(err.length() - 2000) : err;
        } catch (IOException e) {
            return "unreadable";
        }
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
