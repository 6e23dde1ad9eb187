package io.thumbnail.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body made of buffers the caller already holds, handed to the {@link java.net.http.HttpClient} as they
 * are. The JDK's own publishers copy every byte (into new heap buffers, which its socket write then copies again
 * into a direct buffer): for a 3.4 MB upload that was most of the load generator's CPU, which on this machine is
 * taken from the server under test. A photo's bytes sit once in a direct buffer and each request sends read-only
 * views of it, so the only copy left is the kernel's.
 */
final class BufferPublisher implements Flow.Publisher<ByteBuffer> {
    private final List<ByteBuffer> buffers;

    /** {@code buffers}: sent in order, each as a view of its own (their positions are never moved). */
    BufferPublisher(List<ByteBuffer> buffers) {
        this.buffers = List.copyOf(buffers);
    }

    long length() {
        return buffers.stream().mapToLong(ByteBuffer::remaining).sum();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Subscription(subscriber, buffers));
    }

    /** Emits as much as is asked for; a re-entrant request (from onNext) only adds demand for the running loop. */
    private static final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final List<ByteBuffer> buffers;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger draining = new AtomicInteger();
        private int next;
        private volatile boolean finished;

        Subscription(Flow.Subscriber<? super ByteBuffer> subscriber, List<ByteBuffer> buffers) {
            this.subscriber = subscriber;
            this.buffers = buffers;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
            drain();
        }

        private void drain() {
            if (draining.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!finished && next < buffers.size() && demand.get() > 0) {
                    demand.decrementAndGet();
                    subscriber.onNext(buffers.get(next++).asReadOnlyBuffer());
                }
                if (!finished && next == buffers.size()) {
                    finished = true;
                    subscriber.onComplete();
                }
            } while (draining.decrementAndGet() != 0);
        }

        @Override
        public void cancel() {
            finished = true;
        }
    }
}
