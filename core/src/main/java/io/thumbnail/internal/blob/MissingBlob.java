package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

/**
 * A blob the store does not hold: {@code io_error}, as a store failure is, so a job whose original is missing is tried
 * again before it fails; but its own type, so that a read for a client can say the file is gone instead of asking it
 * to try again later.
 */
public final class MissingBlob extends ThumbnailException {
    public MissingBlob(String sha256, Throwable cause) {
        super(ErrorCode.IO_ERROR, "the stored image " + sha256 + " is missing", cause);
    }
}
