package io.thumbnail.internal.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The session advisory locks a node holds on a connection of its own: its node id, so that two running nodes never
 * share one (each would take the other's jobs back at its start), and, one node at a time, the janitor's. PostgreSQL
 * drops a session's locks when the session ends, so a node that dies, or loses its connection, hands them on without
 * anyone waiting for a lease. Keys are derived from the schema's name, so stores in different schemas of one database
 * do not share them.
 */
final class NodeLocks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLocks.class);
    private static final int VALID_SECONDS = 2;

    private final PostgresDatabase database;
    private final String nodeId;
    private final long nodeKey;
    private final long janitorKey;
    private Connection connection;
    private boolean leadsJanitor;
    private boolean closed;

    NodeLocks(PostgresDatabase database, String schema, String nodeId) {
        this.database = database;
        this.nodeId = nodeId;
        this.nodeKey = key("thumbnail node " + schema + " " + nodeId);
        this.janitorKey = key("thumbnail janitor " + schema);
    }

    /**
     * Takes this node's id.
     *
     * @throws IllegalStateException when a running node holds it
     * @throws SQLException          when the database fails
     */
    synchronized void claimNodeId() throws SQLException {
        connection = database.connect();
        if (!tryLock(nodeKey)) {
            close();
            throw new IllegalStateException("the node id '" + nodeId + "' is in use by another running node of this"
                    + " database; give each node its own (--node-id)");
        }
    }

    /**
     * Whether this node runs the janitor: it holds the lock, or takes it now because no node does. A connection lost
     * since is made again (its locks went with it), and the node id taken again.
     */
    synchronized boolean leadsJanitor() {
        if (closed) {
            return false;
        }
        try {
            if (connection == null || !connection.isValid(VALID_SECONDS)) {
                reconnect();
            }
            if (!leadsJanitor) {
                leadsJanitor = tryLock(janitorKey);
                if (leadsJanitor) {
                    log.info("node {} runs the janitor for the nodes sharing the database", nodeId);
                }
            }
            return leadsJanitor;
        } catch (SQLException e) {
            leadsJanitor = false;
            log.debug("could not take the janitor's lock: {}", e.getMessage());
            return false;
        }
    }

    private void reconnect() throws SQLException {
        closeConnection();
        leadsJanitor = false;
        connection = database.connect();
        if (!tryLock(nodeKey)) {
            log.error("the node id '{}' was taken by another node while this one was disconnected from the"
                    + " database; give each node its own (--node-id)", nodeId);
        }
    }

    private boolean tryLock(long key) throws SQLException {
        return Sql.query(connection, "SELECT pg_try_advisory_lock(?)", rs -> rs.next() && rs.getBoolean(1), key);
    }

    /** The first 8 bytes of the text's SHA-256: the same key on every node, without a server function's help. */
    static long key(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Its session, and so its locks, end with it either way.
            }
            connection = null;
        }
    }
}
