package io.thumbnail;

import java.util.Objects;

/**
 * The one exception type of the pipeline. Every refusal carries a stable {@link ErrorCode} and a message
 * written for the person who sent the image (no stack-trace vocabulary, no internal paths).
 */
public class ThumbnailException extends RuntimeException {
    private final ErrorCode code;

    public ThumbnailException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ThumbnailException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "ThumbnailException[" + code.id() + "]: " + getMessage();
    }
}
