package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.internal.store.JobStore;

/** A job claimed, whether a done twin existed then, and this node's hold on it. */
record ClaimedJob(JobStore.Claim claim, HeldJobs.Hold hold) {
    Job job() {
        return claim.job();
    }
}
