package io.thumbnail.internal.assembly;

import io.thumbnail.internal.image.Pipeline;

import java.time.Duration;

/**
 * What tests and benchmarks change in a service that users never do; {@link #DEFAULTS} is what every user gets.
 *
 * @param pipeline         what workers run (a stand-in in tests), or null for the real pipeline
 * @param startWorkers     false: no worker or housekeeping thread (tests drive them by hand)
 * @param idleWait         how long an idle worker waits, unless woken by a submit, before looking for retries come due
 * @param syncAcknowledged false: accepted and deleted jobs are committed without forcing them to disk (benchmarks)
 */
public record ServiceHooks(Pipeline pipeline, boolean startWorkers, Duration idleWait, boolean syncAcknowledged) {
    public static final ServiceHooks DEFAULTS = new ServiceHooks(null, true, Duration.ofSeconds(1), true);

    public ServiceHooks {
        ServiceSettings.positive("idleWait", idleWait);
    }

    /** The pipeline workers run: the stand-in, if a test set one, else {@code real}. */
    Pipeline pipelineOr(Pipeline real) {
        return pipeline != null ? pipeline : real;
    }

    public ServiceHooks withPipeline(Pipeline value) {
        return new ServiceHooks(value, startWorkers, idleWait, syncAcknowledged);
    }

    public ServiceHooks withStartWorkers(boolean value) {
        return new ServiceHooks(pipeline, value, idleWait, syncAcknowledged);
    }

    public ServiceHooks withIdleWait(Duration value) {
        return new ServiceHooks(pipeline, startWorkers, value, syncAcknowledged);
    }

    public ServiceHooks withSyncAcknowledged(boolean value) {
        return new ServiceHooks(pipeline, startWorkers, idleWait, value);
    }
}
