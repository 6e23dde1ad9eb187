package io.thumbnail.server.internal.http;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.server.internal.security.RequestRefused;
import io.thumbnail.server.internal.security.UploadAdmission;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads request bodies without a thread waiting for them: servlet non-blocking input hands each chunk to a
 * {@link Sink} on the Jetty thread that found it ready, so a client trickling its body holds a socket, never a
 * thread. What bounds a slow body: a minimum average rate (measured from the start of the body, after an allowance
 * of {@value #RATE_ALLOWANCE_SECONDS} s for a slow start), a deadline for the whole body, the size limit (checked
 * before a chunk reaches the sink) and the in-flight byte budget of {@link UploadAdmission}. The rate and the deadline
 * are checked by one sweep over the bodies under way, at most a second apart: timer tasks of each body's own would
 * wake the timer thread at every upload, taking a core from a worker each time.
 */
public final class BodyReader {
    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);
    /** One per request thread, used only inside one callback: a slow body holds no buffer of its own. */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[32 * 1024]);
    /**
     * Seconds a body may lag behind the minimum rate: its first bytes may wait on a busy client or server, and a
     * check from the first byte on (Jetty's own) cut off bodies that then kept up well above the rate.
     */
    static final long RATE_ALLOWANCE_SECONDS = 2;

    /** Where a body's bytes go, on the thread that read them; nothing of a chunk may be kept after the call. */
    public interface Sink {
        void accept(ByteBuffer chunk);

        /** The body is complete; throws to refuse it (a multipart body without its closing boundary, say). */
        default void end() {
        }
    }

    private static final Duration LONGEST_TICK = Duration.ofSeconds(1);
    private static final Duration SHORTEST_TICK = Duration.ofMillis(50);

    private final Executor executor;
    private final Duration deadline;
    private final long minRate;
    private final Set<Reading> underWay = ConcurrentHashMap.newKeySet();
    /** Set once the server stops accepting requests: a body broken off from then on was cut off by the stop. */
    private volatile boolean stopping;

    private BodyReader(Executor executor, Duration deadline, long minRate) {
        this.executor = executor;
        this.deadline = deadline;
        this.minRate = minRate;
    }

    /**
     * A reader whose sweep of the deadlines and rates runs on {@code timer} (every second, or every quarter of a
     * deadline under 4 s) until the timer is shut down.
     *
     * @param executor where what follows a body runs, whether it arrived, failed or ran out of time
     * @param deadline how long a whole body may take
     * @param minRate  the least bytes a second a body must bring on average, or 0 for no minimum
     */
    public static BodyReader start(ScheduledExecutorService timer, Executor executor, Duration deadline,
                                   long minRate) {
        BodyReader reader = new BodyReader(executor, deadline, minRate);
        long tick = Math.max(SHORTEST_TICK.toMillis(), Math.min(LONGEST_TICK.toMillis(), deadline.toMillis() / 4));
        timer.scheduleAtFixedRate(reader::sweep, tick, tick, TimeUnit.MILLISECONDS);
        return reader;
    }

    /** Cuts off the bodies past the deadline or behind the minimum rate. */
    private void sweep() {
        long now = System.nanoTime();
        for (Reading reading : underWay) {
            try {
                reading.check(now, deadline, minRate);
            } catch (RuntimeException e) {
                // A failure of one body's cut-off must not end the sweep, which would then never run again.
                log.warn("could not cut off a request body", e);
            }
        }
    }

    /**
     * The server has stopped accepting requests and is going away: a body that breaks off from now on (its connection
     * timed out or closed, which a stopping server makes happen sooner) is answered 503 {@code unavailable}, for its
     * client to send again to a server that is up, not 400 as if the client had failed. A body that arrives whole, or
     * that Jetty finds malformed, is answered as before.
     */
    public void stopping() {
        stopping = true;
    }

    /**
     * The stopping server has waited for the bodies still arriving as long as it will: each is answered 503
     * {@code unavailable} now, while its connection can still carry the answer, rather than cut off without one when
     * the server stops.
     */
    public void refuseUnderWay() {
        stopping = true;
        for (Reading reading : underWay) {
            reading.fail(shuttingDown());
        }
    }

    /**
     * Reads the body of {@code request} (in async mode already) into {@code sink}; completes on the executor once it
     * has all arrived, or exceptionally: {@code too_large} past {@code maxBytes} (the answer names
     * {@code tooLargeMessage}), {@code unavailable} past the budget, 408 past the deadline or below the minimum
     * rate, 400 when the client went away or sent a malformed body, 503 {@code unavailable} when the server stopping
     * cut it off ({@link #stopping()}).
     *
     * @param ticket the upload's place, whose byte budget grows with the body, or null
     */
    public CompletableFuture<Void> read(HttpServletRequest request, long maxBytes, String tooLargeMessage,
                                        UploadAdmission.Ticket ticket, Sink sink) {
        Reading reading = new Reading(maxBytes, tooLargeMessage, ticket, sink, executor);
        underWay.add(reading);
        reading.done.whenComplete((ok, failure) -> underWay.remove(reading));
        try {
            ServletInputStream in = request.getInputStream();
            reading.in = in;
            in.setReadListener(reading);
        } catch (IOException | RuntimeException e) {
            reading.fail(e);
        }
        return reading.done;
    }

    /** What the client is told when its body broke off; the reason (a reset, a timeout) is for the log. */
    private RuntimeException unreadable(Throwable cause) {
        HttpException refusal = null;
        for (Throwable t = cause; t != null && refusal == null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                refusal = http;
            }
        }
        if (refusal == null && stopping) {
            return shuttingDown();
        }
        if (refusal != null && refusal.getCode() == 408) {
            return new RequestRefused(408, ErrorCode.INVALID_REQUEST.id(),
                    "the request body arrived more slowly than the server accepts");
        }
        return new ThumbnailException(ErrorCode.INVALID_REQUEST,
                "could not read the upload: the body ended early, was malformed or arrived too slowly");
    }

    private static ThumbnailException shuttingDown() {
        return new ThumbnailException(ErrorCode.UNAVAILABLE, ErrorResponses.SHUTTING_DOWN);
    }

    private final class Reading implements ReadListener {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final long maxBytes;
        private final String tooLargeMessage;
        private final UploadAdmission.Ticket ticket;
        private final Sink sink;
        private final Executor executor;
        volatile ServletInputStream in;
        private final long started = System.nanoTime();
        private long total;
        private boolean finished;

        Reading(long maxBytes, String tooLargeMessage, UploadAdmission.Ticket ticket, Sink sink, Executor executor) {
            this.maxBytes = maxBytes;
            this.tooLargeMessage = tooLargeMessage;
            this.ticket = ticket;
            this.sink = sink;
            this.executor = executor;
        }

        @Override
        public synchronized void onDataAvailable() {
            if (finished) {
                return;
            }
            byte[] buffer = BUFFERS.get();
            try {
                while (in.isReady() && !in.isFinished()) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                    if (total > maxBytes) {
                        throw new ThumbnailException(ErrorCode.TOO_LARGE, tooLargeMessage);
                    }
                    if (ticket != null) {
                        ticket.received(total);
                    }
                    sink.accept(ByteBuffer.wrap(buffer, 0, n));
                }
            } catch (IOException e) {
                fail(unreadable(e));
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public synchronized void onAllDataRead() {
            if (finished) {
                return;
            }
            try {
                sink.end();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            finish();
            later(() -> done.complete(null));
        }

        /**
         * The connection failed (the client went away, or Jetty's minimum rate cut it off). The answer is rendered
         * here, before this returns: once it has, the container ends the request itself and recycles it.
         */
        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finish();
            }
            done.completeExceptionally(unreadable(t));
        }

        /**
         * At {@code now}, cuts the body off once it has taken longer than {@code deadline}, or (with a {@code minRate}
         * above 0) once it is more than the allowance behind {@code minRate} bytes a second.
         */
        synchronized void check(long now, Duration deadline, long minRate) {
            if (finished) {
                return;
            }
            if (now - started > deadline.toNanos()) {
                fail(new RequestRefused(408, ErrorCode.INVALID_REQUEST.id(),
                        "the request body did not arrive whole within " + deadline.toSeconds() + " s"));
                return;
            }
            long millis = (now - started) / 1_000_000 - RATE_ALLOWANCE_SECONDS * 1000;
            if (minRate > 0 && millis > 0 && total < minRate * millis / 1000) {
                fail(new RequestRefused(408, ErrorCode.INVALID_REQUEST.id(), "the request body arrived more slowly"
                        + " than the " + minRate + " bytes a second the server takes"));
            }
        }

        /** Ends the reading (waiting for a chunk being handed over, so the sink is never used after this). */
        synchronized void fail(Throwable failure) {
            if (finished) {
                return;
            }
            finish();
            later(() -> done.completeExceptionally(failure));
        }

        /** Runs what follows the body on the executor: never on a Jetty callback or on the timer thread. */
        private void later(Runnable completion) {
            try {
                executor.execute(completion);
            } catch (RuntimeException rejected) {
                completion.run();
            }
        }

        private void finish() {
            finished = true;
        }
    }
}
