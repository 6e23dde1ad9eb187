package io.thumbnail.internal.assembly;

import java.util.ArrayList;
import java.util.List;

/**
 * The libraries only some services use, which core's POM declares optional so that an application on the defaults
 * (SQLite and the local disk) does not carry them: the AWS SDK for blobs in a bucket, the PostgreSQL driver for a job
 * database several nodes share. An application configuring one of them adds its library to its own build; without it,
 * the service is refused before any class that needs the library is loaded, with a message naming the artifacts to
 * add, instead of a {@link NoClassDefFoundError} from deep inside the store.
 */
public enum OptionalLibraries {
    S3("S3 blob storage", List.of(
            new Artifact("software.amazon.awssdk:s3", "software.amazon.awssdk.services.s3.S3Client"),
            new Artifact("software.amazon.awssdk:url-connection-client",
                    "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"))),
    POSTGRESQL("A PostgreSQL job database", List.of(
            new Artifact("org.postgresql:postgresql", "org.postgresql.Driver")));

    /** A Maven artifact, {@code groupId:artifactId}, and a class of it that shows it is on the class path. */
    private record Artifact(String coordinates, String className) {
    }

    private final String feature;
    private final List<Artifact> artifacts;

    OptionalLibraries(String feature, List<Artifact> artifacts) {
        this.feature = feature;
        this.artifacts = artifacts;
    }

    /**
     * Refuses, naming {@code option} as the builder spells it and the artifacts missing, a service configured for this
     * feature while its libraries are not on the class path.
     *
     * @throws IllegalStateException "blobStore: S3 blob storage needs software.amazon.awssdk:s3 on the class path (add
     *                               it to your build)"
     */
    public void require(String option) {
        List<String> missing = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            if (!present(artifact.className())) {
                missing.add(artifact.coordinates());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(option + ": " + feature + " needs " + String.join(" and ", missing)
                    + " on the class path (add " + (missing.size() == 1 ? "it" : "them") + " to your build)");
        }
    }

    /** Whether the class is there to be loaded, by the loader of core's own classes, without initialising it. */
    private static boolean present(String className) {
        try {
            Class.forName(className, false, OptionalLibraries.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
