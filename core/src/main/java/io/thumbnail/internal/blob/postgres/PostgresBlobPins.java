package io.thumbnail.internal.blob.postgres;

import io.thumbnail.internal.blob.BlobGuard;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The {@link BlobGuard} of nodes that share a bucket and a PostgreSQL database: pins are rows of {@code blob_pins}
 * ({@code blob-pins.sql}), and a hash's lock is a transaction-scoped advisory lock, so a removal decided on one node
 * waits for, and sees, a pin taken on any other.
 *
 * <ul>
 * <li>{@link #pin}: under the hash's lock, insert a row and commit (it waits while a removal is being decided; the
 * pinner then finds the blob gone and writes it again). Closing the pin deletes the row, after the job's row is
 * committed.</li>
 * <li>{@link #removeIfUnused}: in one transaction (READ COMMITTED), take the hash's lock, look for a live pin, then ask
 * {@code referenced}, then run the removal (the object store's delete or copy) and commit, which lets go of the lock.
 * Pins are looked for before references: a pin is deleted only after its job's row is committed, so a decision that
 * sees no pin sees the row, each statement reading what was committed before it began.</li>
 * </ul>
 *
 * <p>Give it a pool of its own (a few connections), not the job store's: a decision holds one of these connections
 * while {@code referenced} asks the job store through the store's pool, and with one pool shared, as many concurrent
 * decisions as connections would each wait for a connection none will give back.
 *
 * <p>A node that dies holding pins leaves their rows; {@link #releaseNode} deletes them when it starts again, and a
 * pin older than the lifetime (far longer than any submit or job takes) is ignored and deleted by
 * {@link #releaseExpired}. Both return the hashes, which are exactly the blobs whose write may have been cut short:
 * the candidates a sweep needs, without listing the bucket.
 */
public final class PostgresBlobPins implements BlobGuard {
    private static final Logger log = LoggerFactory.getLogger(PostgresBlobPins.class);
    /** How long a pin holds by default: a submit or a job pins for seconds; a pin this old was left by a dead node. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /** The first key of the hashes' advisory locks ('blob'); the second is 32 bits of the hash. */
    private static final int LOCK_SPACE = 0x626c6f62;
    /** The key of the lock that serialises creating the table when several nodes start at once. */
    private static final long SCHEMA_LOCK = 0x626c6f625f706e73L;

    private final DataSource pool;
    private final String nodeId;
    private final Duration lifetime;
    private final StoreHealth database;

    /**
     * @param pool     connections to the shared database, of this guard's own (see the class comment)
     * @param nodeId   the node's name, recorded on its pins so that its next start can release them
     * @param lifetime how long a pin holds at most
     * @param database the database's health, told of each failure
     */
    public PostgresBlobPins(DataSource pool, String nodeId, Duration lifetime, StoreHealth database) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.database = Objects.requireNonNull(database, "database");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive (was " + lifetime + ")");
        }
    }

    /** Creates {@code blob_pins} if it is missing ({@code blob-pins.sql}); safe when several nodes start at once. */
    public static void createTable(DataSource pool) {
        String script;
        try (InputStream in = PostgresBlobPins.class.getResourceAsStream("blob-pins.sql")) {
            script = new String(Objects.requireNonNull(in, "blob-pins.sql").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not read blob-pins.sql", e);
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                for (String statement : script.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        st.execute(statement);
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the table blob_pins: " + e.getMessage(), e);
        }
    }

    @Override
    public BlobStore.Pin pin(String sha256) {
        UUID id = UUID.randomUUID();
        transaction("pin " + sha256, c -> {
            lock(c, sha256);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO blob_pins (id, sha256, node_id) VALUES (?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, sha256);
                ps.setString(3, nodeId);
                ps.executeUpdate();
            }
            return null;
        });
        boolean[] closed = {false};
        return () -> {
            synchronized (closed) {
                if (closed[0]) {
                    return;
                }
                closed[0] = true;
            }
            unpin(id, sha256);
        };
    }

    /**
     * Deletes a pin's row. Its commit is not waited for: should the database lose it, the pin only holds a while
     * longer (until this node's next start, or its lifetime), which keeps a blob, never loses one.
     */
    private void unpin(UUID id, String sha256) {
        try {
            transaction("unpin " + sha256, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL synchronous_commit = off");
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM blob_pins WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (StoreException e) {
            log.debug("pin of {} left in place (released at this node's next start, or after {}): {}", sha256,
                    lifetime, e.getMessage());
        }
    }

    @Override
    public boolean removeIfUnused(String sha256, Predicate<String> referenced, Predicate<String> removal) {
        return transaction("decide on " + sha256, c -> {
            lock(c, sha256);
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM blob_pins WHERE sha256 = ?"
                    + " AND pinned_at > now() - make_interval(secs => ?))")) {
                ps.setString(1, sha256);
                ps.setDouble(2, lifetime.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            return !referenced.test(sha256) && removal.test(sha256);
        });
    }

    /** Deletes the pins this node's earlier life left (call at its start); returns their hashes. */
    public List<String> releaseNode() {
        return release("DELETE FROM blob_pins WHERE node_id = ? RETURNING sha256", nodeId);
    }

    /** Deletes the pins older than their lifetime, of any node; returns their hashes. */
    public List<String> releaseExpired() {
        return release("DELETE FROM blob_pins WHERE pinned_at <= now() - make_interval(secs => ?) RETURNING sha256",
                lifetime.toMillis() / 1000.0);
    }

    private List<String> release(String sql, Object argument) {
        return transaction("release pins", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, argument);
                List<String> hashes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.add(rs.getString(1));
                    }
                }
                return hashes;
            }
        });
    }

    /** Takes the hash's advisory lock, held until the transaction ends. */
    private static void lock(Connection c, String sha256) throws SQLException {
        BlobStore.requireSha256(sha256);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, LOCK_SPACE);
            ps.setInt(2, (int) Long.parseLong(sha256.substring(0, 8), 16));
            ps.execute();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one READ COMMITTED transaction; a database failure is told to its health and thrown. */
    private <T> T transaction(String doing, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            StoreException failure = new StoreException("could not " + doing + " in the shared database: "
                    + e.getMessage(), e);
            database.failed(failure);
            throw failure;
        }
    }
}
