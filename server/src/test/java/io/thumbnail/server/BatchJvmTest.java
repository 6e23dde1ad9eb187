package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchJvmTest {
    private static final List<String> ARGS = List.of("thumbnail", "--size", "100x100", "-o", "out", "a.jpg");

    @TempDir
    Path dir;

    private Path jar() throws IOException {
        Path jar = dir.resolve("thumbnail-server.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {1, 2, 3});
        }
        return jar;
    }

    private BatchJvm.Launch launch(List<String> jvmOptions, long inputBytes, boolean baseArchive) throws IOException {
        return BatchJvm.launch("/jdk/bin/java", jvmOptions, jar(), ARGS, inputBytes, dir.resolve("cache"), "17.0.15",
                baseArchive, 1);
    }

    @Test
    void the_input_bytes_count_a_folders_files_but_not_the_output_folder() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.write(photos.resolve("a.jpg"), new byte[1000]);
        Files.write(photos.resolve(".hidden"), new byte[50]);
        Files.write(Files.createDirectories(photos.resolve("nested")).resolve("b.jpg"), new byte[300]);
        Path single = Files.write(dir.resolve("c.jpg"), new byte[20]);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.write(out.resolve("old.jpg"), new byte[4000]);

        long bytes = BatchJvm.inputBytes(new String[]{"thumbnail", "--size", "100x100", "-o", out.toString(),
                photos.toString(), single.toString()});

        assertThat(bytes).as("a.jpg and c.jpg; not the hidden file, the subfolder's, nor OUTDIR's").isEqualTo(1020);
    }

    @Test
    void a_short_batch_compiles_with_c1_alone() throws IOException {
        assertThat(launch(List.of(), BatchJvm.SHORT_BATCH_BYTES, true).command())
                .as("a batch of at most %d bytes", BatchJvm.SHORT_BATCH_BYTES).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void a_short_batch_compiles_the_image_code_sooner_and_quietly() throws IOException {
        List<String> command = launch(List.of(), BatchJvm.SHORT_BATCH_BYTES, true).command();

        assertThat(command).as("options of a short batch")
                .contains("-XX:CompileCommand=CompileThresholdScaling,io.thumbnail.internal.image.*::*,0.05");
        assertThat(command.indexOf("-XX:CompileCommand=quiet"))
                .as("quiet first, or the JVM prints each compile command to the batch's output")
                .isBetween(0, command.indexOf("-XX:CompileCommand=CompileThresholdScaling,"
                        + "io.thumbnail.internal.image.*::*,0.05"));
    }

    @Test
    void a_long_batch_keeps_both_compilers() throws IOException {
        assertThat(launch(List.of(), BatchJvm.SHORT_BATCH_BYTES + 1, true).command())
                .as("a batch of more than %d bytes", BatchJvm.SHORT_BATCH_BYTES)
                .noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    }

    @Test
    void the_first_batch_writes_the_archive_beside_where_the_next_ones_look_for_it() throws IOException {
        BatchJvm.Launch first = launch(List.of(), 1000, true);

        assertThat(first.dumping()).as("the archive being written").isNotNull();
        assertThat(first.dumping().getParent()).isEqualTo(dir.resolve("cache"));
        assertThat(first.command()).contains("-XX:ArchiveClassesAtExit=" + first.dumping())
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
        assertThat(first.archive().getFileName().toString()).endsWith(".jsa");
        assertThat(dir.resolve("cache")).as("the cache folder, made for the archive").isDirectory();
    }

    @Test
    void without_room_for_an_archive_none_is_written_so_a_full_disk_cannot_fail_the_batch() throws IOException {
        BatchJvm.Launch launch = BatchJvm.launch("/jdk/bin/java", List.of(), jar(), ARGS, 1000, dir.resolve("cache"),
                "17.0.15", true, Long.MAX_VALUE);

        assertThat(launch.dumping()).as("the archive being written").isNull();
        assertThat(launch.command()).noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void once_the_archive_exists_the_batch_maps_it_and_writes_none() throws IOException {
        Path archive = launch(List.of(), 1000, true).archive();
        Files.write(archive, new byte[] {1});

        BatchJvm.Launch next = launch(List.of(), 1000, true);

        assertThat(next.command()).contains("-XX:SharedArchiveFile=" + archive)
                .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(next.dumping()).isNull();
    }

    @Test
    void without_the_jdks_own_archive_no_application_archive_is_made_or_used() throws IOException {
        assertThat(launch(List.of(), 1000, false).command())
                .noneMatch(option -> option.contains("Archive")).noneMatch(option -> option.startsWith("-Xlog:cds"));
    }

    @Test
    void the_users_jvm_options_come_after_ours_so_theirs_win() throws IOException {
        List<String> command = launch(List.of("-Xmx64m", "-XX:TieredStopAtLevel=4"), 1000, true).command();

        assertThat(command.indexOf("-XX:TieredStopAtLevel=4")).as("the user's option")
                .isGreaterThan(command.indexOf("-XX:TieredStopAtLevel=1"));
        assertThat(command).contains("-Xmx64m");
    }

    @Test
    void the_batch_jvm_runs_the_same_jar_and_arguments_and_knows_it_is_the_batch_jvm() throws IOException {
        List<String> command = launch(List.of(), 1000, true).command();

        assertThat(command.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(command.subList(command.size() - ARGS.size() - 2, command.size()))
                .containsExactlyElementsOf(concat(List.of("-jar", jar().toString()), ARGS));
        assertThat(command).as("names the launcher, which the batch JVM ends with")
                .contains("-D" + BatchJvm.CHILD_PROPERTY + "=" + ProcessHandle.current().pid());
    }

    @Test
    void only_a_jvm_started_with_jar_has_options_to_pass_on() {
        assertThat(BatchJvm.jvmOptions(List.of("-Xmx1g", "-jar", "x.jar", "thumbnail"))).contains(List.of("-Xmx1g"));
        assertThat(BatchJvm.jvmOptions(List.of("-cp", "classes", "io.thumbnail.server.Main", "thumbnail")))
                .as("started with a class path: the batch stays in this JVM").isEmpty();
    }

    @Test
    void archives_are_kept_under_xdg_cache_home_when_it_is_set() {
        assertThat(BatchJvm.cacheFolder(Map.of("XDG_CACHE_HOME", "/var/cache/me")))
                .isEqualTo(Path.of("/var/cache/me", "thumbnail-server"));
        assertThat(BatchJvm.cacheFolder(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "thumbnail-server"));
        assertThat(BatchJvm.cacheFolder(Map.of("XDG_CACHE_HOME", "relative")))
                .as("a relative XDG_CACHE_HOME is ignored, as the specification says")
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "thumbnail-server"));
    }

    @Test
    void a_rebuilt_jar_or_another_jvm_gets_an_archive_of_its_own() throws IOException {
        Path jar = jar();
        String before = BatchJvm.archiveName(jar, "17.0.15");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));

        assertThat(BatchJvm.archiveName(jar, "17.0.15")).as("after a rebuild").isNotEqualTo(before);
        assertThat(BatchJvm.archiveName(jar, "17.0.16")).as("on another JVM")
                .isNotEqualTo(BatchJvm.archiveName(jar, "17.0.15"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void the_cache_keeps_the_newest_archives_and_drops_older_ones() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        for (int age = 0; age < 5; age++) {
            Path archive = cache.resolve("batch-" + age + ".jsa");
            Files.write(archive, new byte[] {1});
            Files.setLastModifiedTime(archive, FileTime.from(now.minus(Duration.ofDays(age))));
        }
        Path unrelated = Files.write(cache.resolve("notes.txt"), new byte[] {1});

        BatchJvm.pruneArchives(cache, 3, now);

        assertThat(cache.resolve("batch-0.jsa")).as("the newest archive").exists();
        assertThat(cache.resolve("batch-2.jsa")).as("the third newest").exists();
        assertThat(cache.resolve("batch-3.jsa")).as("the fourth newest").doesNotExist();
        assertThat(cache.resolve("batch-4.jsa")).as("the oldest").doesNotExist();
        assertThat(unrelated).as("a file the batch did not write").exists();
    }

    @Test
    void an_archive_left_half_written_goes_once_a_day_old() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        Path stale = Files.write(cache.resolve("batch-a.jsa.123.tmp"), new byte[] {1});
        Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofHours(25))));
        Path writing = Files.write(cache.resolve("batch-a.jsa.456.tmp"), new byte[] {1});
        Files.setLastModifiedTime(writing, FileTime.from(now.minus(Duration.ofMinutes(1))));

        BatchJvm.pruneArchives(cache, 3, now);

        assertThat(stale).as("a day-old partial archive").doesNotExist();
        assertThat(writing).as("one that may still be being written").exists();
    }
}
