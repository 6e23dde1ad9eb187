package io.thumbnail.internal.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The room a failing store on the local disk needs to be taken for working again. A small write (a probe, a lease
 * renewed) succeeds on a disk with a few hundred kilobytes left while the next upload fails: without it the store
 * would flap between failing and working once per request, each logged, each telling a load balancer something new.
 */
public final class FreeSpace {
    /** What a failing local store needs free to be taken for working again: a few photos' worth. */
    public static final long TO_RECOVER = 16L << 20;

    private FreeSpace() {
    }

    /** Whether the file system of {@code dir} has at least {@code bytes} usable; true when it cannot say. */
    public static boolean has(Path dir, long bytes) {
        try {
            return Files.getFileStore(dir).getUsableSpace() >= bytes;
        } catch (IOException | SecurityException e) {
            return true;
        }
    }
}
