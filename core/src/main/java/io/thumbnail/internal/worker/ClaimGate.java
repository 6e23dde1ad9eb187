package io.thumbnail.internal.worker;

/**
 * Where a worker may claim a job, entered around the claim alone (not the run that follows), so that a pool which
 * closes it knows no claim is still under way.
 */
public interface ClaimGate {
    /** A gate that is always open: for callers that run jobs by hand. */
    ClaimGate OPEN = new ClaimGate() {
        @Override
        public boolean enter() {
            return true;
        }

        @Override
        public void leave() {
        }
    };

    /** Whether a claim may start now; if so, {@link #leave()} follows once it is over. */
    boolean enter();

    void leave();
}
