package io.thumbnail;

/**
 * Told of every job state change (submitted as queued, processing, retried as queued, done, failed, deleted is not
 * a state). Called on a worker or submitting thread: return quickly and never throw; exceptions are logged and
 * swallowed so one listener cannot stop a worker.
 */
@FunctionalInterface
public interface JobListener {
    void onChange(Job job);
}
