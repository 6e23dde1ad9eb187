package io.thumbnail.server.internal.security;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What uploads in flight (a body being received, then submitted) may take, so that neither one client nor a flood
 * takes it all: how many one client address and one API key may have (429 beyond: that client should slow down),
 * how many the server has, and how many body bytes they hold together, counted as declared up front or as received
 * (503 beyond: the server is busy, every client should come back later).
 */
public final class UploadAdmission {
    private final int maxUploads;
    private final long maxBytes;
    private final AtomicInteger uploads = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** Told whenever an upload ends, for {@link #awaitNone}. */
    private final Object idle = new Object();
    /** Uploads in flight per {@code ip:<address>} and per {@code key:<name>}. */
    private final ClientCounts perClient;

    public UploadAdmission(int maxUploads, int maxPerClient, long maxBytes) {
        if (maxUploads < 1 || maxPerClient < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxUploads, maxPerClient and maxBytes must be at least 1 (were "
                    + maxUploads + ", " + maxPerClient + ", " + maxBytes + ")");
        }
        this.maxUploads = maxUploads;
        this.perClient = new ClientCounts(maxPerClient);
        this.maxBytes = maxBytes;
    }

    /**
     * A place for one upload from {@code address} (and {@code key}, null when the server runs open) whose body
     * declares {@code declaredBytes} (-1 when unknown: those are counted as they arrive).
     *
     * @throws RequestRefused     429 {@code rate_limited} when the address or the key has its most in flight
     * @throws ThumbnailException {@code unavailable} (503) when the server has its most uploads or bytes in flight
     */
    public Ticket admit(String address, String key, long declaredBytes) {
        Ticket ticket = new Ticket(address, key);
        try {
            ticket.enter("ip:" + address);
            if (key != null) {
                ticket.enter("key:" + key);
            }
            if (uploads.incrementAndGet() > maxUploads) {
                uploads.decrementAndGet();
                throw busy("the server is receiving as many uploads as it takes at once (" + maxUploads + ")");
            }
            ticket.counted = true;
            ticket.received(Math.max(0, declaredBytes));
            return ticket;
        } catch (RuntimeException e) {
            ticket.close();
            throw e;
        }
    }

    /** Uploads in flight now. */
    public int uploads() {
        return uploads.get();
    }

    /**
     * Waits until no upload is in flight (each has been submitted, or refused), for at most {@code timeout}; true
     * if none is. A stopping server calls it before it closes the service the uploads are submitted to.
     */
    public boolean awaitNone(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (uploads.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    /** Body bytes held by uploads in flight now. */
    long bytes() {
        return bytes.get();
    }

    private static ThumbnailException busy(String why) {
        return new ThumbnailException(ErrorCode.UNAVAILABLE, why + "; try again shortly");
    }

    /** One upload's place and the bytes it holds; closing it (once or more) gives them back. */
    public final class Ticket implements AutoCloseable {
        private final String address;
        private final String key;
        private boolean ipEntered;
        private boolean keyEntered;
        private boolean counted;
        private long held;
        private boolean closed;

        private Ticket(String address, String key) {
            this.address = address;
            this.key = key;
        }

        private void enter(String client) {
            if (!perClient.tryEnter(client)) {
                throw new RequestRefused(429, "rate_limited", "at most " + perClient.max() + " uploads from one "
                        + (client.startsWith("ip:") ? "client address" : "API key") + " may be in flight at once;"
                        + " try again when one has finished", Map.of("Retry-After", "1"));
            }
            if (client.startsWith("ip:")) {
                ipEntered = true;
            } else {
                keyEntered = true;
            }
        }

        /**
         * The body has brought {@code total} bytes so far: what passes the bytes held already is taken from the
         * budget. {@code unavailable} when the budget has not that much left.
         */
        public synchronized void received(long total) {
            if (closed || total <= held) {
                return;
            }
            long more = total - held;
            if (bytes.addAndGet(more) > maxBytes) {
                bytes.addAndGet(-more);
                throw busy("the server is holding as many upload bytes as it takes at once (" + maxBytes + ")");
            }
            held = total;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            bytes.addAndGet(-held);
            if (counted && uploads.decrementAndGet() == 0) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
            if (ipEntered) {
                perClient.leave("ip:" + address);
            }
            if (keyEntered) {
                perClient.leave("key:" + key);
            }
        }
    }
}
