package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.internal.store.JobStore;

/** A job claimed, what its claim told (a done twin existed then; a crash suspect), and this node's hold on it. */
record ClaimedJob(JobStore.Claim claim, HeldJobs.Hold hold) {
    Job job() {
        return claim.job();
    }
}
