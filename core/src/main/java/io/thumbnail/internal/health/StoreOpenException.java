package io.thumbnail.internal.health;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

/**
 * A store outside the data directory (a bucket, a database server) could not be used when the service opened: a
 * wrong address, a missing bucket, refused credentials. Its message names the store and says why in one line, and is
 * shown as it is (not as a problem of the data directory). Code {@code io_error}.
 */
public final class StoreOpenException extends ThumbnailException {
    public StoreOpenException(String message, Throwable cause) {
        super(ErrorCode.IO_ERROR, message, cause);
    }
}
