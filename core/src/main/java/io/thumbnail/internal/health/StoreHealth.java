package io.thumbnail.internal.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health of one store, told by its own operations: any failure marks it failing, and only a write that succeeds
 * (a job's, or a {@linkplain #probeDue probe} made while it fails) marks it working again, so reads that still work on
 * a full disk do not make it flap. The database can also be found damaged ({@code PRAGMA quick_check}, or a read
 * that met a corrupt page); that stays until the next start.
 *
 * <p>Each change is logged once, as one line with the cause's message: a store that fails for an hour writes two
 * lines, not a stack trace per worker per second.
 */
public final class StoreHealth {
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
    /** The least time between two probes of a failing store, whoever asks for them. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final String name;
    private final Clock clock;
    private volatile Failure failure;
    /** When the last failure ended, or {@link Instant#MIN}. */
    private volatile Instant worksAgainSince = Instant.MIN;
    private volatile String damage;
    /** The local folder a failing store needs {@link #room} in to be taken for working again; null for none. */
    private volatile Path roomIn;
    private volatile long room;
    /** Its service closed: a thread it left behind (a decode that ignored its interrupt) says nothing of the store. */
    private volatile boolean closed;
    private final AtomicLong failures = new AtomicLong();
    private Instant lastProbe = Instant.MIN;

    /** Since when, and why, a store fails. */
    public record Failure(Instant since, String cause) {
    }

    /** @param name the store as a log line names it ("the job database") */
    public StoreHealth(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    /** The store as a log line names it ("the job database"). */
    public String name() {
        return name;
    }

    /**
     * An operation on the store failed. Ignored from a thread that was interrupted (a job's time limit, a delete or a
     * shutdown stopping its worker cuts its reads and writes short: the store did nothing wrong, and a store taken for
     * failing would refuse every submit for a moment), and once {@linkplain #close closed}.
     */
    public void failed(Throwable cause) {
        if (closed || Thread.currentThread().isInterrupted()) {
            return;
        }
        failures.incrementAndGet();
        if (failure != null) {
            return;
        }
        synchronized (this) {
            if (failure == null) {
                failure = new Failure(clock.instant(), describe(cause));
                log.warn("{} is failing: {}; workers wait and submits are refused (503) until it works again",
                        name, failure.cause());
            }
        }
    }

    /**
     * The service closes its stores: failures reported from now on (by threads it left behind, writing to stores it
     * closed) are not the store's and are ignored.
     */
    public void close() {
        closed = true;
    }

    /**
     * The store is on the local disk of {@code dir}: once failing, it is taken for working again only by a write made
     * while that disk has {@code bytes} free ({@link FreeSpace}).
     */
    public void recoversWithRoomIn(Path dir, long bytes) {
        this.room = bytes;
        this.roomIn = dir;
    }

    /** A write to the store succeeded. */
    public void wrote() {
        if (failure == null) {
            return;
        }
        Path dir = roomIn;
        if (dir != null && !FreeSpace.has(dir, room)) {
            return; // a small write fits where the next upload does not: still failing
        }
        synchronized (this) {
            Failure ended = failure;
            if (ended != null) {
                failure = null;
                worksAgainSince = clock.instant();
                log.info("{} works again, after failing for {} s", name,
                        Duration.between(ended.since(), clock.instant()).toSeconds());
            }
        }
    }

    /** The store is damaged (the database failed its integrity check, or a read met a corrupt page). */
    public void damaged(String problem) {
        if (damage != null) {
            return;
        }
        synchronized (this) {
            if (damage == null) {
                damage = problem;
                log.error("{} is damaged: {}; restore it from a backup", name, problem);
            }
        }
    }

    public boolean writable() {
        return failure == null;
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the store failed at any moment after {@code since}: it fails now, or its last failure ended later. */
    public boolean failedAfter(Instant since) {
        return failure != null || worksAgainSince.isAfter(since);
    }

    /** How many operations have failed since the service started. */
    public long failures() {
        return failures.get();
    }

    public boolean intact() {
        return damage == null;
    }

    public Optional<String> damage() {
        return Optional.ofNullable(damage);
    }

    /**
     * Whether the failing store should be probed now (at most once a second, by the service's clock); false while it
     * works. A caller that gets true makes a small write, which reports its own outcome.
     */
    public synchronized boolean probeDue() {
        if (failure == null) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(lastProbe.plus(PROBE_INTERVAL))) {
            return false;
        }
        lastProbe = now;
        return true;
    }

    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder(String.valueOf(cause.getMessage()));
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != cause && root.getMessage() != null && !text.toString().contains(root.getMessage())) {
            text.append(" (").append(root.getMessage()).append(')');
        }
        return text.toString();
    }
}
