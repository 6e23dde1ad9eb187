package io.thumbnail.internal.assembly;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets the calls of a service's public API through while it is open. Calls after it closed are refused with
 * {@code unavailable}, which a front end can answer 503; a call that was under way when closing began can fail as the
 * stores close beneath it, and that is {@code unavailable} too, not a storage fault.
 */
public final class ServiceGate {
    /** What a call refused by a closed service is told. */
    public static final String CLOSED = "the thumbnail service is closed (shutting down); try again later";

    private final AtomicBoolean closed = new AtomicBoolean();

    /** A call through the gate, and the checked exception it may throw ({@code RuntimeException} for none). */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code call} while open. */
    public <T, E extends Exception> T call(Call<T, E> call) throws E {
        if (closed.get()) {
            throw new ThumbnailException(ErrorCode.UNAVAILABLE, CLOSED);
        }
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw closing(e);
        }
    }

    /** {@code e}, or {@code unavailable} in its place when the service closed and {@code e} is not the input's fault. */
    private RuntimeException closing(RuntimeException e) {
        if (!closed.get() || e instanceof ThumbnailException te
                && (te.code() == ErrorCode.UNAVAILABLE || !te.code().isTransient())) {
            return e;
        }
        return new ThumbnailException(ErrorCode.UNAVAILABLE,
                "the thumbnail service closed while answering (shutting down); try again later", e);
    }

    /** Closes the gate; true only for the first call. */
    public boolean close() {
        return closed.compareAndSet(false, true);
    }
}
