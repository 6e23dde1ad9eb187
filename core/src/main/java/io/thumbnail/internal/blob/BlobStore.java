package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreHealth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Image bytes (originals and thumbnails) by their SHA-256: identical bytes are stored once, and a blob that exists is
 * complete. {@link LocalBlobStore} keeps them in a folder of the data directory; a store for several nodes keeps them
 * in S3-compatible object storage. Nothing here names a file: where a local store gains from files (direct writes,
 * an upload renamed into place) it does so behind these methods.
 *
 * <p>Deleting races with writing: a job being submitted may need a blob that another job's deletion finds
 * unreferenced. Writers therefore {@link #pin} a hash until their row is committed, and a blob is only deleted (or
 * moved to the quarantine) while unpinned and, checked under the same per-hash lock, unreferenced ({@link Pins}).
 *
 * <p>Blobs no job refers to are not deleted at once but quarantined: they wait out a grace period, and a restored
 * database that refers to them again gets them back. A store makes its {@link BlobRemovals removals} through an object
 * of its own, {@link #removals()}, to which the methods of {@link BlobRemovals} are handed here, once for every store.
 *
 * <p>Failures to write or read are the server's ({@link io.thumbnail.internal.health.StoreException}, {@code io_error})
 * and are told to the store's {@link #health()}; a blob that is simply missing is an {@code io_error} that is not.
 */
public interface BlobStore extends BlobRemovals {
    /** How a blob is named: its SHA-256 in lower-case hex. */
    Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    static boolean isSha256(String name) {
        return name != null && SHA256.matcher(name).matches();
    }

    /** {@code sha256}, if it names a blob; else an {@link IllegalArgumentException} saying so. */
    static String requireSha256(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits (was '" + sha256 + "')");
        }
        return sha256;
    }

    /** A hold on a hash that keeps its blob from being deleted; close it once the row naming it is committed. */
    interface Pin extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A blob received a piece at a time (an upload as it arrives), never held whole in memory, then stored under the
     * hash its writer computed on the way. One writer at a time. Close it in every case: that discards what was
     * received unless it was stored.
     */
    interface Incoming extends AutoCloseable {
        /** Appends the remaining bytes of {@code bytes}. */
        void write(ByteBuffer bytes);

        /** Ends the writing: what was received is durable from now on (forced to disk), and can be read and stored. */
        void finish();

        /** What was received, readable from any position (an upload's header check); the caller closes it. */
        SeekableByteChannel read() throws IOException;

        /**
         * Stores what was received under {@code sha256}, or discards it when that blob is stored already; whether this
         * call stored it. Throws {@link IllegalStateException} if it was stored or closed before, {@code io_error}
         * if its file went.
         */
        boolean store(String sha256);

        /** Discards what was received, unless it was stored. */
        @Override
        void close();
    }

    /** A stored blob's bytes, as a stream the caller closes, and how many there are. */
    record Content(InputStream stream, long length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** What one listing found: every stored hash, and how many leftovers of interrupted writes it deleted. */
    record Listing(List<String> hashes, int leftoversDeleted) {
    }

    Pin pin(String sha256);

    boolean exists(String sha256);

    /**
     * Stores {@code bytes} (whose hash the caller computed) durably, unless a blob with that hash is stored already;
     * whether this call stored it.
     */
    boolean write(String sha256, byte[] bytes);

    /** A new, empty blob to receive bytes into; see {@link Incoming}. */
    Incoming receive();

    /** The whole blob in memory; {@code io_error} naming the hash if it is missing. */
    byte[] read(String sha256);

    /** The blob as a stream with its length; {@code io_error} naming the hash if it is missing. */
    Content open(String sha256);

    /**
     * The whole blob in {@code reuse} (cleared first) when it fits, else in a new heap buffer: its bytes from 0 to
     * the limit of the buffer returned. {@code io_error} naming the hash if it is missing.
     */
    default ByteBuffer read(String sha256, ByteBuffer reuse) {
        try (Content content = open(sha256)) {
            return DurableFiles.readFully(Channels.newChannel(content.stream()), content.length(), reuse);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the stored image " + sha256 + ": "
                    + e.getMessage(), e);
        }
    }

    /** How many blobs the store held when it opened (the quarantine's not counted). */
    int storedAtOpen();

    /** Makes a small write, so that a store whose writes failed finds out whether they work again. */
    void probeWrite();

    /**
     * Asks a store reached over the network whether it answers, at most every few seconds, telling a failure to its
     * health, so that an outage shows before a request meets it. A local folder has nothing to ask: its failures show
     * in its writes and in the free space of the disk.
     */
    void ping();

    StoreHealth health();

    /** Lets go of what the store holds open (a client of the object storage); the blobs stay. */
    void close();

    /** How blobs no job refers to leave the store; every method of {@link BlobRemovals} is handed to it. */
    BlobRemovals removals();

    @Override
    default boolean deleteIfUnreferenced(String sha256, Predicate<String> referenced) {
        return removals().deleteIfUnreferenced(sha256, referenced);
    }

    @Override
    default boolean quarantineIfUnreferenced(String sha256, Predicate<String> referenced, Instant now) {
        return removals().quarantineIfUnreferenced(sha256, referenced, now);
    }

    @Override
    default int restoreQuarantined(Predicate<String> referenced) {
        return removals().restoreQuarantined(referenced);
    }

    @Override
    default int emptyQuarantine(Instant cutoff) {
        return removals().emptyQuarantine(cutoff);
    }

    @Override
    default long quarantined() {
        return removals().quarantined();
    }

    @Override
    default Listing sweepLeftoversAndList() {
        return removals().sweepLeftoversAndList();
    }
}
