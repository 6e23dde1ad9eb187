package io.thumbnail.bench;

import java.util.concurrent.atomic.AtomicLong;

/** Answers of one kind of request by class: 2xx, 429 (rate limited or queue full), other statuses, I/O errors. */
final class HttpTally {
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong tooMany = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    void count(int status) {
        if (status >= 200 && status < 300) {
            ok.incrementAndGet();
        } else if (status == 429) {
            tooMany.incrementAndGet();
        } else {
            other.incrementAndGet();
        }
    }

    void error() {
        errors.incrementAndGet();
    }

    long ok() {
        return ok.get();
    }

    long tooMany() {
        return tooMany.get();
    }

    long other() {
        return other.get();
    }

    long errors() {
        return errors.get();
    }
}
