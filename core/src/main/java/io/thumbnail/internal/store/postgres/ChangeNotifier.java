package io.thumbnail.internal.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Tells the other nodes what this node committed, with {@code NOTIFY} on the store's channel: that jobs were queued,
 * and which jobs finished. One thread sends the notifications, each after the commits it reports, gathering what
 * came meanwhile into one: PostgreSQL makes the commits of notifying transactions take turns, so a notification sent
 * inside each completion would make every completion wait for the others'. A notification lost (the database down
 * as it is sent) costs only time: idle workers look at the queue anyway, and a node reconnecting reads again the
 * jobs it waits for.
 *
 * <p>A payload is {@code SENDER q} (jobs were queued) or {@code SENDER f ID,ID,...} (these jobs finished); the sender
 * is a random name of this store, so a node skips its own.
 */
final class ChangeNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeNotifier.class);
    /** 36 characters and a comma each: well under PostgreSQL's 8000-byte payload. */
    static final int MAX_IDS_PER_PAYLOAD = 200;
    private static final String QUEUED = "q";
    private static final String FINISHED = "f";
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** What one notification says. */
    record Notice(String sender, boolean queued, List<UUID> finished) {
    }

    private final DataSource pool;
    private final String channel;
    private final String sender;
    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    ChangeNotifier(DataSource pool, String channel, String sender) {
        this.pool = pool;
        this.channel = channel;
        this.sender = sender;
        this.thread = new Thread(this::run, "thumbnail-notify");
        thread.setDaemon(true);
        thread.start();
    }

    /** Jobs were queued (a submit, a batch, jobs taken back). */
    void queued() {
        pending.add(QUEUED);
    }

    /** These jobs finished. */
    void finished(Collection<UUID> ids) {
        ids.forEach(id -> pending.add(id.toString()));
    }

    private void run() {
        List<String> items = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                String first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                items.add(first);
            } catch (InterruptedException e) {
                if (!closed) {
                    continue;
                }
            }
            pending.drainTo(items);
            send(payloads(sender, items));
            items.clear();
        }
    }

    private void send(List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        try (Connection c = pool.getConnection()) {
            Sql.query(c, "SELECT COUNT(pg_notify(?, p)) FROM unnest(?) AS p", rs -> rs.next(), channel,
                    c.createArrayOf("text", payloads.toArray()));
        } catch (SQLException | RuntimeException e) {
            // The database is failing: the store's health says so; the other nodes find out at their next look.
            log.debug("could not notify the other nodes ({} notifications): {}", payloads.size(), e.getMessage());
        }
    }

    /** The payloads telling {@code items} ({@code q}, or job ids): at most one {@code q}, ids in chunks. */
    static List<String> payloads(String sender, List<String> items) {
        List<String> payloads = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>(items);
        if (ids.remove(QUEUED)) {
            payloads.add(sender + " " + QUEUED);
        }
        List<String> chunk = new ArrayList<>();
        for (String id : ids) {
            chunk.add(id);
            if (chunk.size() == MAX_IDS_PER_PAYLOAD) {
                payloads.add(sender + " " + FINISHED + " " + String.join(",", chunk));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            payloads.add(sender + " " + FINISHED + " " + String.join(",", chunk));
        }
        return payloads;
    }

    /** What a payload says, or null for one this version does not know. */
    static Notice parse(String payload) {
        String[] parts = payload.split(" ", 3);
        if (parts.length == 2 && parts[1].equals(QUEUED)) {
            return new Notice(parts[0], true, List.of());
        }
        if (parts.length != 3 || !parts[1].equals(FINISHED)) {
            return null;
        }
        List<UUID> ids = new ArrayList<>();
        try {
            for (String id : parts[2].split(",")) {
                ids.add(UUID.fromString(id));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new Notice(parts[0], false, ids);
    }

    /** Sends what is pending (waiting at most 2 s), then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
