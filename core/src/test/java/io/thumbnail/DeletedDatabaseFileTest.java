package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * jobs.db deleted under a running service: the file stays open, so writes would still succeed into a file no restart
 * finds. The service refuses changes instead, writes the database back where it was, and a restart finds every job.
 */
class DeletedDatabaseFileTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);

    @TempDir
    Path dir;
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private ThumbnailService open() {
        return ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build();
    }

    private Job submit(int seed) {
        return service.submit(ImageSource.of(TestImages.png(60, 40, seed), "d" + seed + ".png"), SPEC,
                SubmitOptions.defaults());
    }

    @Test
    void a_deleted_job_database_refuses_new_work_and_is_written_back_so_a_restart_loses_no_accepted_job()
            throws Exception {
        service = open();
        Job accepted = submit(1);
        Path database = dir.resolve("jobs.db");

        Files.delete(database);

        assertThatThrownBy(() -> submit(2)).as("a submit once the file is gone")
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).as("the server's 503")
                        .isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("jobs.db was deleted while the service ran");
        assertThat(database).as("written back as it stood").exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(database)))
                .as("the written-back file, which holds the signing secret: its owner's alone").isEqualTo("rw-------");
        assertThatThrownBy(() -> submit(3)).as("every later submit too").isInstanceOf(ThumbnailException.class);
        service.close();

        service = open();
        assertThat(service.get(accepted.id())).as("the job accepted before the file was deleted, after a restart")
                .hasValueSatisfying(job -> assertThat(job.status()).isEqualTo(JobStatus.QUEUED));
        assertThat(service.list(JobQuery.all()).items()).as("no job of a refused submit").hasSize(1);
        assertThat(submit(4).status()).as("the restarted service takes work").isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void a_job_database_replaced_by_another_file_refuses_new_work() throws Exception {
        service = open();
        submit(1);
        Path database = dir.resolve("jobs.db");
        Path moved = dir.resolve("jobs.db.moved");
        Files.move(database, moved);
        Files.write(database, new byte[0]);

        assertThatThrownBy(() -> submit(2)).isInstanceOf(ThumbnailException.class)
                .hasMessageContaining("jobs.db was replaced by another file while the service ran");
        assertThat(Files.size(database)).as("the other file is left as it is").isZero();
    }
}
