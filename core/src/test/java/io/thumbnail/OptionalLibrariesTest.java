package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS SDK and the PostgreSQL driver are optional dependencies of core: an application on the defaults (SQLite in
 * the data directory, images on the local disk) runs without them, and one configuring a bucket or a PostgreSQL
 * database without them is refused with a message naming what to add to its build. Each case runs in a child JVM on
 * the tests' class path less those jars ({@link ChildJvm}), as an application that never declared them would.
 */
class OptionalLibrariesTest {
    /** The folders of a Maven repository the optional libraries' jars are in: the AWS SDK's and the driver's groups. */
    private static final List<String> OPTIONAL_GROUPS = List.of("/software/amazon/awssdk/", "/org/postgresql/");

    @TempDir
    Path dir;

    @Test
    void the_job_system_and_the_pipeline_run_on_their_defaults_without_the_aws_sdk_and_the_postgresql_driver()
            throws Exception {
        ChildJvm.Run child = runWithoutOptionalLibraries("defaults", dir.resolve("data").toString());

        assertThat(child.output()).as("what the child printed").contains("aws sdk absent", "postgresql driver absent",
                "thumbnailer made 100x75", "job done 100x75");
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    }

    @Test
    void a_bucket_without_the_aws_sdk_is_refused_naming_the_artifacts_to_add() throws Exception {
        ChildJvm.Run child = runWithoutOptionalLibraries("blobStore", dir.resolve("data").toString(),
                "s3://thumbs?endpoint=http://127.0.0.1:9000");

        assertThat(child.output()).as("what the child printed").contains("refused IllegalStateException: blobStore: S3"
                + " blob storage needs software.amazon.awssdk:s3 and software.amazon.awssdk:url-connection-client on"
                + " the class path (add them to your build)");
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    }

    @Test
    void a_postgresql_database_without_its_driver_is_refused_naming_the_artifact_to_add() throws Exception {
        ChildJvm.Run child = runWithoutOptionalLibraries("database", dir.resolve("data").toString(),
                "jdbc:postgresql://127.0.0.1:5432/thumbs");

        assertThat(child.output()).as("what the child printed").contains("refused IllegalStateException: database: A"
                + " PostgreSQL job database needs org.postgresql:postgresql on the class path (add it to your build)");
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    }

    @Test
    void a_database_url_of_another_kind_without_the_driver_is_refused_for_what_it_is() throws Exception {
        ChildJvm.Run child = runWithoutOptionalLibraries("database", dir.resolve("data").toString(),
                "jdbc:mysql://127.0.0.1:3306/thumbs");

        assertThat(child.output()).as("what the child printed").contains("refused IllegalArgumentException: database"
                + " must be a PostgreSQL JDBC URL such as"
                + " jdbc:postgresql://127.0.0.1:5432/thumbs?user=thumbs&password=..."
                + " (was 'jdbc:mysql://127.0.0.1:3306/thumbs')");
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    }

    private static ChildJvm.Run runWithoutOptionalLibraries(String... args) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> OPTIONAL_GROUPS.stream().noneMatch(entry.replace('\\', '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
        ChildJvm.Run child = ChildJvm.runOn(classPath, Child.class, "256m", args);
        assertThat(child.finished()).as("the child JVM finished; output:%n%s", child.output()).isTrue();
        return child;
    }

    /**
     * The child JVM: says whether the optional libraries are on its class path, then either makes a thumbnail with the
     * pipeline and one with a service on its defaults in the data directory given, or sets the option named to the
     * value given and prints how it was refused.
     */
    static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("aws sdk " + presence("software.amazon.awssdk.services.s3.S3Client"));
            System.out.println("postgresql driver " + presence("org.postgresql.Driver"));
            byte[] photo = TestImages.jpeg(400, 300, 1);
            ThumbnailServiceBuilder builder = ThumbnailService.builder().dataDir(Path.of(args[1])).workers(1);
            try {
                switch (args[0]) {
                    case "defaults" -> {
                        Thumbnail t = Thumbnailer.create(Limits.defaults()).thumbnail(photo,
                                ThumbnailSpec.box(100, 100));
                        System.out.println("thumbnailer made " + t.width() + "x" + t.height());
                        try (ThumbnailService service = builder.build()) {
                            Job job = service.submit(ImageSource.of(photo, "photo.jpg"), ThumbnailSpec.box(100, 100),
                                    SubmitOptions.defaults());
                            Job done = service.await(job.id(), Duration.ofMinutes(1));
                            System.out.println("job " + done.status().id() + " " + done.result().width() + "x"
                                    + done.result().height());
                        }
                    }
                    case "blobStore" -> builder.blobStore(args[2]).build().close();
                    case "database" -> builder.database(args[2]).build().close();
                    default -> throw new IllegalArgumentException("unknown case " + args[0]);
                }
            } catch (RuntimeException e) {
                System.out.println("refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        private static String presence(String className) {
            try {
                Class.forName(className, false, Child.class.getClassLoader());
                return "present";
            } catch (ClassNotFoundException e) {
                return "absent";
            }
        }
    }
}
