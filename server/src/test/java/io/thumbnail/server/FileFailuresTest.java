package io.thumbnail.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reasons a command line prints after a path, in the system's words. Given as the exceptions the JDK raises, for
 * the causes a test cannot provoke where it runs as root (permission denied); {@code CliTest} provokes the others.
 */
class FileFailuresTest {
    @Test
    void access_denied_which_names_only_its_file_is_permission_denied() {
        assertThat(FileFailures.reason(new AccessDeniedException("/srv/thumbs/x.jpg"))).isEqualTo("Permission denied");
    }

    @Test
    void the_kinds_that_name_only_their_file_get_the_systems_words() {
        assertThat(FileFailures.reason(new NoSuchFileException("/srv/thumbs/x.jpg")))
                .isEqualTo("No such file or directory");
        assertThat(FileFailures.reason(new FileAlreadyExistsException("/srv/thumbs"))).isEqualTo("File exists");
    }

    @Test
    void a_reason_the_system_gave_is_kept_without_the_paths() {
        assertThat(FileFailures.reason(new FileSystemException("/srv/thumbs/.x.jpg.tmp", "/srv/thumbs/x.jpg",
                "No space left on device"))).isEqualTo("No space left on device");
    }

    @Test
    void any_other_failure_says_what_it_says() {
        assertThat(FileFailures.reason(new IOException("Input/output error"))).isEqualTo("Input/output error");
    }

    @Test
    void a_full_disk_or_quota_is_out_of_space_whether_a_write_or_a_rename_says_so() {
        assertThat(FileFailures.outOfSpace(new IOException("No space left on device"))).as("a write").isTrue();
        assertThat(FileFailures.outOfSpace(new FileSystemException("/srv/thumbs/.x.tmp", "/srv/thumbs/x.jpg",
                "No space left on device"))).as("a link or rename").isTrue();
        assertThat(FileFailures.outOfSpace(new IOException("Disk quota exceeded"))).as("a quota").isTrue();
        assertThat(FileFailures.outOfSpace(new IOException("Input/output error"))).as("another failure").isFalse();
    }
}
