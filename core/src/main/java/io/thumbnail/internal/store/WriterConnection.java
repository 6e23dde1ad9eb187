package io.thumbnail.internal.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The database's one writer connection, lent to one thread at a time: {@link #getConnection} waits for it (up to a
 * timeout), and closing what it returned gives it back, with auto-commit on again and any open transaction rolled
 * back. The same thread asking again before giving it back is refused, since it would share the open transaction.
 *
 * <p>This replaced a HikariCP pool of one. Every job takes the writer three times (insert, claim, done) from three
 * threads, so it is often contended, and the pool's hand-off spins: the returning thread yields in a loop until a
 * waiter takes the connection, the waiter spins in a {@code SynchronousQueue} before it parks. In JobsBench that was
 * most of the 0.26 ms of CPU that marking a job done cost the finisher. Here a waiter parks on a lock and the
 * returning thread unparks it.
 */
final class WriterConnection implements DataSource, AutoCloseable {
    private final Connection connection;
    private final long timeoutMillis;
    private final ReentrantLock lock = new ReentrantLock();

    /** Lends {@code connection}; a caller waits at most {@code timeoutMillis} for it. */
    WriterConnection(Connection connection, long timeoutMillis) {
        this.connection = connection;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (lock.isHeldByCurrentThread()) {
            throw new SQLException("this thread holds the writer connection already; a nested use would share its"
                    + " transaction");
        }
        try {
            if (!lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("the writer connection was not free within "
                        + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the writer connection", e);
        }
        return lent();
    }

    /** A view of the connection whose {@code close()} gives it back (once); any other call after that fails. */
    private Connection lent() {
        boolean[] returned = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        if (!returned[0]) {
                            returned[0] = true;
                            giveBack();
                        }
                        yield null;
                    }
                    case "isClosed" -> returned[0] || connection.isClosed();
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "writer connection" + (returned[0] ? " (given back)" : "");
                    default -> {
                        if (returned[0]) {
                            throw new SQLException("the writer connection was given back; " + method.getName()
                                    + " is no longer allowed");
                        }
                        try {
                            yield method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    private void giveBack() throws SQLException {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                // A transaction the borrower left open (it threw before commit or rollback) must not reach the next.
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection, waiting a few seconds for a borrower to give it back first. */
    @Override
    public void close() {
        boolean held = false;
        try {
            held = lock.tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing: nothing more to do.
        } finally {
            if (held) {
                lock.unlock();
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the writer connection takes no credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // No log writer.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Nothing to log in to.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("the writer connection wraps no " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
