package io.thumbnail.internal.image;

/** The process's whole decode-memory budget held, as by a large image's decode, for tests outside this package. */
public final class HeldDecodeMemory implements AutoCloseable {
    private final DecodeMemory.Lease lease;
    private boolean closed;

    private HeldDecodeMemory(DecodeMemory.Lease lease) {
        this.lease = lease;
    }

    /** Takes all of the budget, once the decodes holding some of it have given it back. */
    public static HeldDecodeMemory all() {
        return new HeldDecodeMemory(DecodeMemory.heap().takeAll());
    }

    /** Gives it back; once only. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            lease.close();
        }
    }
}
