package io.thumbnail.server;

import io.thumbnail.SubmitOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.ImageSource;
import io.thumbnail.ServiceTestHooks;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
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
import java.util.Arrays;
import java.util.List;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} reports each store that fails (a damaged database, a blob folder that cannot be written) instead of
 * {@code up} beside 503s on every upload, and answers up again as soon as the store works; 503s carry Retry-After.
 */
class StorageHealthApiTest {
    /** The longest a health check may take to answer, whatever the stores do. */
    static final Duration HEALTH_BOUND = Duration.ofMillis(500);
    @TempDir
    Path dir;

    @Test
    void a_damaged_database_is_reported_down_in_health_rather_than_up() throws Exception {
        Path data = dir.resolve("data");
        try (ThumbnailService service = ServiceTestHooks.withoutWorkers(ThumbnailService.builder().dataDir(data))
                .build()) {
            service.submitAll(List.of(ImageSource.of(TestImages.gradient(60, 40, "png"), "a.png"),
                    ImageSource.of(TestImages.gradient(40, 60, "png"), "b.png")), ThumbnailSpec.box(20, 20),
                            SubmitOptions.defaults());
        }
        garblePageOf(data.resolve("jobs.db"), "batches");

        try (TestServer server = TestServer.startPaused(data)) {
            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).as("health of a damaged database; body: %s", response.body())
                    .isEqualTo(503);
            JsonNode health = json(response);
            assertThat(health.at("/checks/database/status").asText()).as("database status").isEqualTo("down");
            assertThat(health.at("/checks/database/integrity").asText()).as("database integrity")
                    .isEqualTo("damaged");
            assertThat(response.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            try (var files = Files.walk(data.resolve("blobs"))) {
                assertThat(files.filter(p -> p.toString().contains("quarantine")).toList())
                        .as("nothing swept on the word of a damaged database").isEmpty();
            }
        }
    }

    @Test
    void an_unwritable_blob_folder_answers_503_with_retry_after_and_health_names_it_until_it_works_again()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (TestServer server = TestServer.startPaused(data)) {
            Files.move(data.resolve("blobs"), data.resolve("blobs.away"));
            Files.writeString(data.resolve("blobs"), "not a folder");

            HttpResponse<String> upload = server.postRaw("/api/v1/thumbnails?width=40", "image/png",
                    TestImages.gradient(60, 40, "png"));

            assertThat(upload.statusCode()).as("upload with the blob folder gone; body: %s", upload.body())
                    .isEqualTo(503);
            assertThat(json(upload).at("/error/code").asText()).isEqualTo("io_error");
            assertThat(upload.headers().firstValue("Retry-After")).as("Retry-After on the 503").isPresent();
            HttpResponse<String> down = server.get("/health");
            assertThat(down.statusCode()).as("health; body: %s", down.body()).isEqualTo(503);
            assertThat(json(down).at("/checks/blobs/status").asText()).as("blob store status").isEqualTo("down");
            assertThat(json(down).at("/checks/blobs/writes").asText()).as("blob store writes").isEqualTo("failing");
            assertThat(json(down).at("/checks/database/status").asText()).as("database status").isEqualTo("up");

            Files.delete(data.resolve("blobs"));
            Files.move(data.resolve("blobs.away"), data.resolve("blobs"));

            HttpResponse<String> up = server.awaitHealth(200);
            assertThat(json(up).at("/checks/blobs/writes").asText()).as("blob store writes once restored")
                    .isEqualTo("ok");
            assertThat(server.postRaw("/api/v1/thumbnails?width=40", "image/png", TestImages.gradient(60, 40, "png"))
                    .statusCode()).as("upload once the blob folder is back").isEqualTo(202);
        }
    }

    @Test
    void requests_failing_on_the_storage_are_logged_once_a_minute_not_one_line_each() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (TestServer server = TestServer.startPaused(data)) {
            Files.move(data.resolve("blobs"), data.resolve("blobs.away"));
            Files.writeString(data.resolve("blobs"), "not a folder");
            PrintStream stderr = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            List<Integer> statuses = new ArrayList<>();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                for (int i = 0; i < 5; i++) {
                    statuses.add(server.postRaw("/api/v1/thumbnails?width=40", "image/png",
                            TestImages.gradient(60, 40, "png")).statusCode());
                }
            } finally {
                System.setErr(stderr);
            }

            assertThat(statuses).as("uploads while the blob folder is gone").containsOnly(503);
            assertThat(log.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("WARN") && line.contains("/api/v1/thumbnails failed")))
                    .as("WARN lines for 5 failed requests in a minute; the log:%n%s", log).hasSize(1);
            Files.delete(data.resolve("blobs"));
            Files.move(data.resolve("blobs.away"), data.resolve("blobs"));
        }
    }

    @Test
    void health_answers_at_once_and_says_down_while_another_process_holds_the_job_database_locked() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.get("/health").statusCode()).as("health before the lock").isEqualTo(200);
            try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("jobs.db"));
                 Statement statement = locker.createStatement()) {
                // The lock a sqlite3 shell's BEGIN EXCLUSIVE takes and holds: every write waits out the busy timeout.
                statement.execute("BEGIN EXCLUSIVE");
                HttpResponse<String> refused = server.postRaw("/api/v1/thumbnails?width=40", "image/png",
                        TestImages.gradient(60, 40, "png"));
                assertThat(refused.statusCode()).as("upload while locked; body: %s", refused.body()).isEqualTo(503);

                HttpResponse<String> down = server.awaitHealthAnsweringWithin(503, HEALTH_BOUND);

                assertThat(json(down).at("/checks/database/writes").asText()).as("database writes")
                        .isEqualTo("failing");
                statement.execute("ROLLBACK");
            }
            server.awaitHealthAnsweringWithin(200, HEALTH_BOUND);
        }
    }

    /** Overwrites the root page of {@code table} with garbage, as a torn write or a bad sector would. */
    private static void garblePageOf(Path database, String table) throws SQLException, IOException {
        long page;
        long pageSize;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '" + table + "'")) {
                rs.next();
                page = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
                rs.next();
                pageSize = rs.getLong(1);
            }
        }
        byte[] garbage = new byte[(int) pageSize];
        Arrays.fill(garbage, (byte) 0x5A);
        try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
            file.seek((page - 1) * pageSize);
            file.write(garbage);
        }
    }
}
