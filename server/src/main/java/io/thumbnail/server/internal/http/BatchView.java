package io.thumbnail.server.internal.http;

import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.JobStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A batch as the REST API shows it: totals per status, then the items in submission order. */
public record BatchView(String id, int total, boolean finished, Map<String, Integer> counts, List<JobView> items,
                        String createdAt, JobView.CallbackView callback) {

    public static BatchView of(Batch batch) {
        return of(batch, JobView::of);
    }

    /** @param item how each item is shown */
    public static BatchView of(Batch batch, Function<Job, JobView> item) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status.id(), batch.counts().getOrDefault(status, 0));
        }
        return new BatchView(batch.id().toString(), batch.total(), batch.isFinished(), counts,
                batch.items().stream().map(item).toList(), JobView.iso(batch.createdAt()),
                JobView.CallbackView.of(batch.callback()));
    }
}
