package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;
import io.thumbnail.internal.store.JobStore;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Listens, on a connection of its own outside the pool, for what other nodes notify ({@link ChangeNotifier}): reads
 * the jobs they finished and hands them to this node's {@link JobStore.RemoteChanges}, and wakes idle workers when
 * they queued jobs. A lost connection is made again, with a growing pause; once back, the jobs finished meanwhile
 * (and every job still waited for) are read and handed on too, since their notifications were missed.
 */
final class NotificationListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    /** How long one wait for notifications lasts; the thread looks at whether it should stop in between. */
    private static final int WAIT_MILLIS = 1_000;
    /** A connection quiet this long is pinged, so a dead one is found and made again. */
    private static final Duration PING_AFTER = Duration.ofSeconds(10);
    private static final long MAX_PAUSE_MILLIS = 5_000;
    /** The margin for clocks of other nodes when reading the jobs finished while this node did not listen. */
    private static final Duration CATCH_UP_MARGIN = Duration.ofMinutes(1);

    /** Reads jobs for the listener: by id, and those finished since an instant. */
    interface Reader {
        List<Job> jobs(Collection<UUID> ids);

        List<Job> finishedSince(Instant since);
    }

    private final PostgresDatabase database;
    private final String channel;
    private final String sender;
    private final JobStore.RemoteChanges remote;
    private final Reader reader;
    private final Clock clock = Clock.systemUTC();
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    NotificationListener(PostgresDatabase database, String channel, String sender, JobStore.RemoteChanges remote,
                         Reader reader) {
        this.database = database;
        this.channel = channel;
        this.sender = sender;
        this.remote = remote;
        this.reader = reader;
    }

    /**
     * Connects and listens, on the calling thread so that nothing notified after this returns is missed, then goes
     * on on its own. A database that cannot be reached now is tried again in the background, as for a lost
     * connection.
     */
    void start() {
        boolean listening = false;
        try {
            connect();
            listening = true;
        } catch (SQLException e) {
            log.warn("could not listen for the other nodes' changes ({}); trying again",
                    PostgresFailures.describe(e));
        }
        boolean missed = !listening;
        Thread thread = new Thread(() -> run(missed), "thumbnail-listen");
        thread.setDaemon(true);
        this.thread = thread;
        thread.start();
    }

    /** @param missedAtStart whether the first connection failed */
    private void run(boolean missedAtStart) {
        long pause = 250;
        boolean missed = missedAtStart;
        Instant lost = null;
        while (!closed) {
            try {
                Connection c = current != null ? current : connect();
                if (missed) {
                    log.info("listening for the other nodes' changes");
                    catchUp(lost);
                    missed = false;
                    lost = null;
                    pause = 250;
                }
                receive(c);
            } catch (SQLException | RuntimeException e) {
                close(current);
                current = null;
                if (closed) {
                    return;
                }
                if (!missed) {
                    missed = true;
                    lost = clock.instant();
                    log.warn("lost the connection listening for the other nodes' changes ({}); reconnecting",
                            PostgresFailures.describe(e));
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection c = database.connect();
        try {
            listen(c);
        } catch (SQLException e) {
            close(c);
            throw e;
        }
        current = c;
        return c;
    }

    private void listen(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
        }
    }

    /** Hands on what arrives until the connection fails or the listener closes. */
    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        Instant heard = clock.instant();
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                handle(notifications);
                heard = clock.instant();
            } else if (clock.instant().isAfter(heard.plus(PING_AFTER))) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                heard = clock.instant();
            }
        }
    }

    private void handle(PGNotification[] notifications) {
        boolean queued = false;
        Set<UUID> finished = new LinkedHashSet<>();
        for (PGNotification n : notifications) {
            ChangeNotifier.Notice notice = ChangeNotifier.parse(n.getParameter());
            if (notice == null || notice.sender().equals(sender)) {
                continue;
            }
            queued |= notice.queued();
            finished.addAll(notice.finished());
        }
        if (queued) {
            remote.queued(); // first: waking idle workers needs no read
        }
        if (!finished.isEmpty()) {
            handOn(reader.jobs(finished));
        }
    }

    /**
     * After notifications were missed: the jobs waited for, and those finished since shortly before the connection
     * was lost ({@code lost}; null when it never listened, and so has no listeners to tell of earlier jobs).
     */
    private void catchUp(Instant lost) {
        handOn(reader.jobs(remote.awaited()));
        if (lost != null) {
            handOn(reader.finishedSince(lost.minus(CATCH_UP_MARGIN)));
        }
        remote.queued();
    }

    private void handOn(List<Job> jobs) {
        for (Job job : jobs) {
            if (job.status().isFinished()) {
                remote.finished(job);
            }
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // Gone either way.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        close(current);
        Thread running = thread;
        if (running == null) {
            return;
        }
        try {
            running.join(WAIT_MILLIS * 2L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
