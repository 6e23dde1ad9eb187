package io.thumbnail.s3;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A {@link LocalS3} for one test class ({@code @RegisterExtension static final S3Endpoint s3 = new S3Endpoint();}):
 * started before its first test, stopped and its folder deleted after its last, with a fresh bucket for each test
 * that asks.
 */
public final class S3Endpoint implements BeforeAllCallback, AfterAllCallback {
    private final AtomicInteger buckets = new AtomicInteger();
    private Path folder;
    private LocalS3 s3;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("thumbnail-test-s3");
        s3 = LocalS3.start(folder);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        s3.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    public LocalS3 s3() {
        return s3;
    }

    /** A new, empty bucket named {@code stem-N}. */
    public String newBucket(String stem) {
        String bucket = stem + "-" + buckets.incrementAndGet();
        s3.createBucket(bucket);
        return bucket;
    }
}
