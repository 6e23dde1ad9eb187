package io.thumbnail;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A snapshot of one thumbnail job. Immutable: query the service again for a newer state. Made with {@link #builder()}
 * (a store reading its rows, a test making one), never by position.
 *
 * @param result     present when {@code status == DONE}
 * @param startedAt  when the latest attempt started, or null before the first
 * @param error      present when {@code status == FAILED}; also while queued for a retry (the last transient error)
 * @param attempts   how many times a worker has started it (0 for a job completed at submit from a duplicate)
 * @param batchId    the batch it belongs to, or null
 * @param owner      an opaque owner (an API key's name), or null
 * @param publication where the finished thumbnail is published (for example Imgur) and how that went, or null
 * @param priority   how soon the queue serves it; never null ({@link Priority#NORMAL} unless asked otherwise)
 * @param node       while {@code status == PROCESSING}, the node running it (its node id); null otherwise
 * @param callback   the webhook POSTed once the job is finished, and how delivering it went, or null
 */
public record Job(UUID id, JobStatus status, ThumbnailSpec spec, JobSource source, JobResult result, JobError error,
                  int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, UUID batchId, String owner,
                  Publication publication, Priority priority, String node, Callback callback) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative (was " + attempts + ")");
        }
    }

    /** A job to fill in field by field; {@code id} and {@code status} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this job, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder().id(id).status(status).spec(spec).source(source).result(result).error(error)
                .attempts(attempts).createdAt(createdAt).startedAt(startedAt).finishedAt(finishedAt).batchId(batchId)
                .owner(owner).publication(publication).priority(priority).node(node).callback(callback);
    }

    /** The fields of a {@link Job}, each named; unset ones are null (0 attempts, normal priority). */
    public static final class Builder {
        private UUID id;
        private JobStatus status;
        private ThumbnailSpec spec;
        private JobSource source;
        private JobResult result;
        private JobError error;
        private int attempts;
        private Instant createdAt;
        private Instant startedAt;
        private Instant finishedAt;
        private UUID batchId;
        private String owner;
        private Publication publication;
        private Priority priority = Priority.NORMAL;
        private String node;
        private Callback callback;

        private Builder() {
        }

        public Builder id(UUID value) {
            this.id = value;
            return this;
        }

        public Builder status(JobStatus value) {
            this.status = value;
            return this;
        }

        public Builder spec(ThumbnailSpec value) {
            this.spec = value;
            return this;
        }

        public Builder source(JobSource value) {
            this.source = value;
            return this;
        }

        public Builder result(JobResult value) {
            this.result = value;
            return this;
        }

        public Builder error(JobError value) {
            this.error = value;
            return this;
        }

        public Builder attempts(int value) {
            this.attempts = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            this.startedAt = value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public Builder batchId(UUID value) {
            this.batchId = value;
            return this;
        }

        public Builder owner(String value) {
            this.owner = value;
            return this;
        }

        public Builder publication(Publication value) {
            this.publication = value;
            return this;
        }

        public Builder priority(Priority value) {
            this.priority = value;
            return this;
        }

        public Builder node(String value) {
            this.node = value;
            return this;
        }

        public Builder callback(Callback value) {
            this.callback = value;
            return this;
        }

        public Job build() {
            return new Job(id, status, spec, source, result, error, attempts, createdAt, startedAt, finishedAt,
                    batchId, owner, publication, priority, node, callback);
        }
    }
}
