package io.thumbnail.internal.blob.s3;

import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.Quarantine;

import java.time.Instant;
import java.util.Optional;

/**
 * Where things live in the bucket, under the location's prefix: a blob at {@code ab/<sha256>} (its first two hex
 * digits as a folder, as on the local disk, which also spreads keys over S3's partitions), a quarantined blob at
 * {@code quarantine/<when>/<sha256>} and the write probe at {@code write-probe}. Hex digits sort before the letters
 * {@code g} to {@code z}, so a listing from the prefix meets every blob before anything else and stops there.
 */
final class S3Keys {
    static final String QUARANTINE = "quarantine/";
    private static final String PROBE = "write-probe";

    /** A quarantined blob: its hash and when it came, if its folder says. */
    record Quarantined(String key, String sha256, Optional<Instant> since) {
    }

    private final String prefix;

    S3Keys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    String home(String sha256) {
        BlobStore.requireSha256(sha256);
        return prefix + sha256.substring(0, 2) + "/" + sha256;
    }

    String quarantined(String sha256, Instant when) {
        return quarantine() + Quarantine.folderName(when) + "/" + sha256;
    }

    /** The folder quarantined blobs are under. */
    String quarantine() {
        return prefix + QUARANTINE;
    }

    String probe() {
        return prefix + PROBE;
    }

    /** The hash whose blob {@code key} is, or null for any other key. */
    String hashOf(String key) {
        if (!key.startsWith(prefix) || key.length() != prefix.length() + 67 || key.charAt(prefix.length() + 2) != '/') {
            return null;
        }
        String sha = key.substring(prefix.length() + 3);
        return BlobStore.isSha256(sha) && key.startsWith(sha.substring(0, 2), prefix.length()) ? sha : null;
    }

    /** Whether {@code key} sorts after every blob's key: a listing of blobs is over. */
    boolean pastBlobs(String key) {
        return key.startsWith(prefix) && key.length() > prefix.length() && key.charAt(prefix.length()) > 'f';
    }

    /** The quarantined blob {@code key} is, or empty for any other key. */
    Optional<Quarantined> quarantinedOf(String key) {
        String folder = quarantine();
        if (!key.startsWith(folder)) {
            return Optional.empty();
        }
        String rest = key.substring(folder.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !BlobStore.isSha256(rest.substring(slash + 1))) {
            return Optional.empty();
        }
        return Optional.of(new Quarantined(key, rest.substring(slash + 1),
                Quarantine.folderTime(rest.substring(0, slash))));
    }
}
