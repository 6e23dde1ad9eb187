package io.thumbnail;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A service in a process of its own, for {@link DataDirLockTest}: opens the data directory, prints {@code started},
 * then holds it until killed.
 */
public final class LockHolderChild {
    private LockHolderChild() {
    }

    public static void main(String[] args) throws Exception {
        ThumbnailService service = ThumbnailService.builder().dataDir(Path.of(args[0])).workers(1).build();
        System.out.println("started");
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
        service.close();
    }
}
