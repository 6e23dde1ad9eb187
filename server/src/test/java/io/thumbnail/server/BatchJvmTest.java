package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        assertThat(first.archive()).as("an archive mapped").isNull();
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
        Path dumping = launch(List.of(), 1000, true).dumping();
        Files.write(dumping, new byte[] {1, 2, 3});
        ClassDataArchives.keep(dumping);
        Path archive = ClassDataArchives.whole(dir.resolve("cache"), ClassDataArchives.baseName(jar(), "17.0.15"))
                .orElseThrow();

        BatchJvm.Launch next = launch(List.of(), 1000, true);

        assertThat(next.command()).contains("-XX:SharedArchiveFile=" + archive)
                .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(next.dumping()).isNull();
        assertThat(next.archive()).isEqualTo(archive);
    }

    @Test
    void an_archive_cut_short_is_deleted_instead_of_mapped_and_written_anew() throws IOException {
        Path dumping = launch(List.of(), 1000, true).dumping();
        Files.write(dumping, new byte[4096]);
        ClassDataArchives.keep(dumping);
        Path archive = ClassDataArchives.whole(dir.resolve("cache"), ClassDataArchives.baseName(jar(), "17.0.15"))
                .orElseThrow();
        Files.write(archive, new byte[2048]);

        BatchJvm.Launch next = launch(List.of(), 1000, true);

        assertThat(next.command()).as("a JVM mapping an archive cut short dies of SIGBUS")
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"))
                .contains("-XX:ArchiveClassesAtExit=" + next.dumping());
        assertThat(archive).doesNotExist();
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

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
