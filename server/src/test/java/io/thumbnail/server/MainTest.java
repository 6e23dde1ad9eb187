package io.thumbnail.server;

import io.thumbnail.SubmitOptions;
import io.thumbnail.ImageSource;
import io.thumbnail.ServiceTestHooks;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.s3.LocalS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's entry point: which command runs, and startup refusals that never leave a half-started server. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void version_prints_the_version_the_build_made_and_exits_zero() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).as("--version")
                .matches("thumbnail-server [0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?\\R");
    }

    @Test
    void help_prints_every_flag_and_exits_zero() {
        assertThat(run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (ServerOption option : ServerOptions.ALL) {
            assertThat(help).as("--help").contains("--" + option.name(), option.env());
        }
    }

    @Test
    void the_thumbnail_subcommand_runs_the_batch_cli() {
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(50, 40, "png"));

        int exit = run("thumbnail", "--size", "10x10", "-o", dir.resolve("out").toString(), image.toString());

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(dir.resolve("out/x.jpg")).isRegularFile();
    }

    @Test
    void a_bad_flag_stops_startup_with_a_message_naming_it() {
        assertThat(run("--port", "99999")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--port must be a whole number between 0 and 65535 (was '99999')");
    }

    @Test
    void a_data_directory_in_use_stops_startup_with_a_message() {
        try (ThumbnailService running = ThumbnailService.builder().dataDir(dir).workers(1).build()) {
            assertThat(run("--port", "0", "--data-dir", dir.toString())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not open the data directory");
        }
    }

    @Test
    void a_data_directory_held_by_another_process_is_refused_naming_that_process() throws Exception {
        try (ChildServer other = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                dir.toString(), "--workers", "1")) {
            other.awaitPort();

            assertThat(run("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString())).isEqualTo(1);

            assertThat(errorLines()).as("one line naming the directory, the cause and the holder").containsExactly(
                    "thumbnail-server: could not open the data directory " + dir.toAbsolutePath()
                            + ": it is in use by another thumbnail service (process " + other.process().pid()
                            + "); one service per data directory");
        }
    }

    @Test
    void a_start_and_a_stop_log_the_service_in_a_few_lines_without_the_connection_pools_chatter() throws Exception {
        try (ChildServer server = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                dir.toString())) {
            server.awaitPort();
            server.process().toHandle().destroy(); // SIGTERM, keeping our end of its output open
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            server.awaitEndOfOutput(Duration.ofSeconds(10));
            List<String> printed = server.printed();

            assertThat(printed).as("what a start and a stop print")
                    .noneMatch(line -> line.contains("Hikari"))
                    .anyMatch(line -> line.contains("thumbnail service started in"))
                    .anyMatch(line -> line.endsWith("ServerProcess - stopped"))
                    .hasSizeLessThanOrEqualTo(7);
        }
    }

    @Test
    void a_minimum_of_free_space_larger_than_the_disk_is_warned_of_at_start() throws Exception {
        try (ChildServer server = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                dir.toString(), "--min-free-bytes", "8000000G")) {
            server.awaitPort();
            server.process().toHandle().destroy();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            server.awaitEndOfOutput(Duration.ofSeconds(10));

            assertThat(server.printed()).as("what the server printed").anyMatch(line -> line.contains("[WARN]")
                    && line.contains("--min-free-bytes asks for " + (8000000L << 30) + " bytes free, more than the data"
                    + " directory's disk holds"));
        }
    }

    @Test
    void a_misspelt_variable_is_warned_of_at_start_naming_the_one_meant() throws Exception {
        try (ChildServer server = ChildServer.start(Map.of("THUMBNAIL_WROKERS", "1"), List.of(), "--host",
                "127.0.0.1", "--port", "0", "--data-dir", dir.toString())) {
            server.awaitPort();
            server.process().toHandle().destroy();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            server.awaitEndOfOutput(Duration.ofSeconds(10));

            assertThat(server.printed()).as("what the server printed").anyMatch(line -> line.contains("[WARN]")
                    && line.endsWith("THUMBNAIL_WROKERS is set, but no option reads it; did you mean"
                    + " THUMBNAIL_WORKERS?"));
        }
    }

    @Test
    void sigterm_while_the_service_is_still_opening_stops_the_server_cleanly() throws Exception {
        // An S3 endpoint that takes connections and never answers holds the service's opening.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ChildServer server = ChildServer.start(Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"),
                     List.of(), "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString(), "--blob-store",
                     "s3://thumbs?endpoint=http://127.0.0.1:" + silent.getLocalPort()
                             + "&region=us-east-1&path-style=true")) {
            Socket opening = silent.accept();
            server.process().toHandle().destroy();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            server.awaitEndOfOutput(Duration.ofSeconds(10));
            opening.close();

            assertThat(server.printed()).as("what the server printed")
                    .anyMatch(line -> line.endsWith("ServerProcess - shutting down"))
                    .anyMatch(line -> line.endsWith("ServerProcess - stopped"))
                    .noneMatch(line -> line.contains("Exception"));
        }
    }

    @Test
    void a_start_refused_for_its_data_directory_never_says_it_is_listening() throws Exception {
        try (ThumbnailService running = ThumbnailService.builder().dataDir(dir).workers(1).build();
             ChildServer refused = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                     dir.toString())) {
            assertThat(refused.process().waitFor(60, TimeUnit.SECONDS)).as("the refused server exits").isTrue();
            refused.awaitEndOfOutput(Duration.ofSeconds(10));

            assertThat(refused.process().exitValue()).as("exit status").isEqualTo(1);
            assertThat(refused.output()).as("its output")
                    .anyMatch(line -> line.contains("could not open the data directory"))
                    .noneMatch(line -> line.contains("listening on"));
        }
    }

    @Test
    void a_data_directory_that_is_a_file_is_refused_saying_so() throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");

        assertThat(run("--port", "0", "--data-dir", file.toString())).isEqualTo(1);

        assertThat(errorLines()).containsExactly("thumbnail-server: could not open the data directory "
                + file.toAbsolutePath() + ": it is a file, not a directory");
    }

    @Test
    void a_blob_folder_that_is_a_file_is_refused_saying_so() throws IOException {
        Files.writeString(dir.resolve("blobs"), "not a directory");

        assertThat(run("--port", "0", "--data-dir", dir.toString())).isEqualTo(1);

        assertThat(errorLines()).containsExactly("thumbnail-server: could not open the data directory "
                + dir.toAbsolutePath() + ": blobs is a file, not a directory");
    }

    @Test
    void a_job_database_that_is_not_sqlite_is_refused_saying_so() throws IOException {
        Files.writeString(dir.resolve("jobs.db"), "x".repeat(4096));

        assertThat(run("--port", "0", "--data-dir", dir.toString())).isEqualTo(1);

        assertThat(errorLines()).containsExactly("thumbnail-server: could not open the data directory "
                + dir.toAbsolutePath() + ": jobs.db is not a SQLite database (another file, or a damaged one)");
    }

    @Test
    void a_missing_bucket_stops_startup_with_one_line_naming_the_flag() {
        try (LocalS3 s3 = LocalS3.start(dir.resolve("s3"))) {
            int exit = run("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                    "--blob-store", s3.location("no-such-bucket", "prod"));

            assertThat(exit).as("exit status").isEqualTo(1);
            assertThat(errorLines()).containsExactly("thumbnail-server: could not open the blob store"
                    + " s3://no-such-bucket/prod (--blob-store): the bucket 'no-such-bucket' does not exist at "
                    + s3.endpoint());
        }
    }

    @Test
    void a_malformed_blob_store_stops_startup_naming_the_flag() {
        assertThat(run("--blob-store", "s3://thumbs?endpoint=ftp://example")).isEqualTo(2);

        assertThat(errorLines()).containsExactly("thumbnail-server: --blob-store must be"
                + " s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true, but endpoint must be an http(s)"
                + " URL with a host and no path, such as http://127.0.0.1:9000 (was 'ftp://example')");
    }

    @Test
    void keys_the_bucket_refuses_stop_startup_with_one_line_that_shows_neither_key() throws Exception {
        String wrongSecret = "not-the-secret-" + System.nanoTime();
        try (LocalS3 s3 = LocalS3.start(dir.resolve("s3")).createBucket("thumbs");
             ChildServer server = ChildServer.start(Map.of("AWS_SECRET_ACCESS_KEY", wrongSecret), List.of(),
                     "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                     "--blob-store", s3.location("thumbs", ""))) {
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the server stopped").isTrue();
            server.awaitEndOfOutput(Duration.ofSeconds(10));
            List<String> output = server.output();

            assertThat(server.process().exitValue()).as("exit status; output: %s", output).isEqualTo(1);
            assertThat(output).as("output").contains("thumbnail-server: could not open the blob store s3://thumbs"
                    + " (--blob-store): " + s3.endpoint() + " refused AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for"
                    + " the bucket 'thumbs' (403): check the keys, and that they may use the"
                    + " bucket");
            assertThat(String.join("\n", output)).as("output").doesNotContain(wrongSecret, LocalS3.ACCESS_KEY);
        }
    }

    @Test
    void a_start_without_a_blob_store_loads_no_class_of_the_s3_client() throws Exception {
        Path classes = dir.resolve("classes.log");
        try (ChildServer server = ChildServer.start(List.of("-Xlog:class+load=info:file=" + classes),
                "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString())) {
            int port = server.awaitPort();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("health; body: %s", health.body()).isEqualTo(200);
        }

        try (var lines = Files.lines(classes)) {
            assertThat(lines.filter(line -> line.contains("software.amazon.awssdk")).limit(3).toList())
                    .as("S3 client classes loaded by a start on the local disk").isEmpty();
        }
    }

    /** What the refusal printed: one line, whatever the loggers wrote elsewhere. */
    private List<String> errorLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void a_deleted_database_beside_stored_images_stops_startup_with_a_message_naming_the_flag() throws IOException {
        try (ThumbnailService first = ServiceTestHooks.withoutWorkers(ThumbnailService.builder().dataDir(dir)).build()) {
            first.submit(ImageSource.of(TestImages.gradient(50, 40, "png"), "a.png"), ThumbnailSpec.box(10, 10),
                    SubmitOptions.defaults());
        }
        Files.delete(dir.resolve("jobs.db"));

        assertThat(run("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString())).isEqualTo(1);

        assertThat(errorLines()).as("one line naming the directory, the cause and the way out").singleElement()
                .asString().startsWith("thumbnail-server: could not open the data directory " + dir.toAbsolutePath()
                        + ": blobs/ holds 1 image file but the job database jobs.db is missing or empty")
                .contains("--accept-empty-database");
        assertThat(dir.resolve("blobs")).as("the stored image is still there")
                .isDirectoryRecursivelyContaining(p -> p.getFileName().toString().matches("[0-9a-f]{64}"));
    }

    @Test
    void a_port_in_use_stops_startup_and_releases_the_data_directory() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            int exit = run("--host", "127.0.0.1", "--port", String.valueOf(port), "--data-dir", dir.toString());

            assertThat(exit).as("stderr: %s", err).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not start on 127.0.0.1:" + port);
            assertThat(errorLines()).as("the cause, from the socket").containsExactly(
                    "thumbnail-server: could not start on 127.0.0.1:" + port + ": port " + port
                            + " is in use by another process");
        }
        // The service opened alongside the web server was closed again, so its lock is free.
        try (ThumbnailService reopened = ThumbnailService.builder().dataDir(dir).workers(1).build()) {
            assertThat(reopened.stats().databaseOk()).as("the data directory opens again").isTrue();
        }
    }

    @Test
    void a_port_in_use_stops_startup_before_the_data_directory_is_made() throws IOException {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--data-dir",
                    data.toString())).as("exit status; stderr: %s", err).isEqualTo(1);
        }

        assertThat(data).as("the data directory of a start refused for its port").doesNotExist();
    }

    @Test
    void a_host_that_is_not_an_address_of_this_machine_stops_startup_with_one_line_naming_it() {
        // 192.0.2.1 (TEST-NET-1) is no machine's: the bind fails at once, and no packet is sent.
        int exit = run("--host", "192.0.2.1", "--port", "0", "--data-dir", dir.toString());

        assertThat(exit).as("exit status; stderr: %s", err).isEqualTo(1);
        assertThat(errorLines()).as("what the refusal printed").singleElement().asString()
                .startsWith("thumbnail-server: could not start on 192.0.2.1:0: 192.0.2.1 is not an address of this"
                        + " machine; --host takes ")
                .doesNotContain("in use");
    }

    /** A PostgreSQL URL on a loopback port nothing listens on, with a password that must never be printed. */
    private static String unreachableDatabase() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/thumbs?user=thumbs&password=s3cret";
    }

    @Test
    void an_unreachable_database_stops_startup_with_one_line_naming_the_flag_and_not_the_password()
            throws IOException {
        String url = unreachableDatabase();

        assertThat(run("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString(), "--database", url))
                .as("exit status").isEqualTo(1);

        assertThat(errorLines()).as("what the refusal printed").singleElement().asString()
                .startsWith("thumbnail-server: could not open the job database "
                        + url.replace("s3cret", "***") + " (--database): ")
                .contains("refused")
                .doesNotContain("s3cret");
    }

    @Test
    void the_jar_started_on_an_unreachable_database_exits_non_zero_saying_why_in_one_line() throws Exception {
        String url = unreachableDatabase();
        try (ChildServer child = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                dir.toString(), "--database", url)) {
            child.awaitEndOfOutput(Duration.ofSeconds(60));

            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(child.process().exitValue()).as("exit status").isNotZero();
            List<String> output = child.output();
            assertThat(output).as("output").noneMatch(line -> line.contains("s3cret"))
                    .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"))
                    .anyMatch(line -> line.startsWith("thumbnail-server: could not open the job database ")
                            && line.contains("(--database)"));
        }
    }
}
