package io.thumbnail.internal.health;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

/**
 * A store (the job database, the blob folder) failed: a full disk, a folder that cannot be written, a damaged
 * database. The server's trouble, not the job's: a job that meets it is retried later, and its {@link StoreHealth}
 * says so once rather than every caller logging it. Code {@code io_error}.
 */
public final class StoreException extends ThumbnailException {
    public StoreException(String message, Throwable cause) {
        super(ErrorCode.IO_ERROR, message, cause);
    }
}
