package io.thumbnail.archfixture.internal.fine;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

/** An internal class using only value types and exceptions of {@code io.thumbnail}: breaks no rule. */
public final class UsesValueTypes {
    private UsesValueTypes() {
    }

    public static ThumbnailException refusal() {
        return new ThumbnailException(ErrorCode.INVALID_REQUEST, "refused");
    }
}
