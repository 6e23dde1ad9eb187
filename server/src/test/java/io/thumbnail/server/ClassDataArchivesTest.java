package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClassDataArchivesTest {
    @TempDir
    Path dir;

    private Path jar() throws IOException {
        Path jar = dir.resolve("thumbnail-server.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {1, 2, 3});
        }
        return jar;
    }

    @Test
    void a_kept_archive_is_named_with_its_length_and_found_while_whole() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        String base = ClassDataArchives.baseName(jar(), "17.0.15+6-Debian");
        Path dumping = ClassDataArchives.dumping(cache, base, 42, 1).orElseThrow();
        Files.write(dumping, new byte[300]);

        ClassDataArchives.keep(dumping);

        assertThat(ClassDataArchives.whole(cache, base)).as("the archive, under its length in hex")
                .contains(cache.resolve(base + ".12c.jsa"));
        assertThat(dumping).doesNotExist();
        assertThat(ClassDataArchives.whole(cache, ClassDataArchives.baseName(jar(), "17.0.15")))
                .as("another JVM's archives start with the same text and are not this one's").isEmpty();
        assertThat(cache.resolve(base + ".12c.jsa")).as("another JVM's lookup leaves it").exists();
    }

    @Test
    void an_archive_whose_length_is_not_its_names_is_deleted() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        String base = ClassDataArchives.baseName(jar(), "17.0.15");
        Path cut = Files.write(cache.resolve(base + ".1000.jsa"), new byte[2048]);

        assertThat(ClassDataArchives.whole(cache, base)).isEmpty();
        assertThat(cut).doesNotExist();
    }

    @Test
    void no_archive_is_written_without_room_for_it() throws IOException {
        assertThat(ClassDataArchives.dumping(dir.resolve("cache"), "batch-x", 42, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void archives_are_kept_under_xdg_cache_home_when_it_is_set() {
        assertThat(ClassDataArchives.cacheFolder(Map.of("XDG_CACHE_HOME", "/var/cache/me")))
                .isEqualTo(Path.of("/var/cache/me", "thumbnail-server"));
        assertThat(ClassDataArchives.cacheFolder(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "thumbnail-server"));
        assertThat(ClassDataArchives.cacheFolder(Map.of("XDG_CACHE_HOME", "relative")))
                .as("a relative XDG_CACHE_HOME is ignored, as the specification says")
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "thumbnail-server"));
    }

    @Test
    void a_rebuilt_jar_or_another_jvm_gets_an_archive_of_its_own() throws IOException {
        Path jar = jar();
        String before = ClassDataArchives.baseName(jar, "17.0.15");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));

        assertThat(ClassDataArchives.baseName(jar, "17.0.15")).as("after a rebuild").isNotEqualTo(before);
        assertThat(ClassDataArchives.baseName(jar, "17.0.16")).as("on another JVM")
                .isNotEqualTo(ClassDataArchives.baseName(jar, "17.0.15"));
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

        ClassDataArchives.prune(cache, 3, now);

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

        ClassDataArchives.prune(cache, 3, now);

        assertThat(stale).as("a day-old partial archive").doesNotExist();
        assertThat(writing).as("one that may still be being written").exists();
    }
}
