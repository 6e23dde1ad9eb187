package io.thumbnail.internal.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.Driver;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A PostgreSQL database named by a JDBC URL: a HikariCP pool for the store's statements, and connections of their
 * own, outside the pool, for what holds a connection for good (listening for notifications, advisory locks). The URL
 * is never shown with its password ({@link #mask}).
 *
 * <p>Connection settings the URL leaves out get defaults suited to a queue: a connect timeout, a socket timeout
 * (so a database that vanishes from the network fails a call instead of hanging it), TCP keepalive, and the node's id
 * as the application name, which {@code pg_stat_activity} shows. The pool's connections commit without waiting for
 * the write-ahead log to be flushed ({@code synchronous_commit = off}), like SQLite's {@code synchronous = NORMAL}:
 * claims and completions lost to a crash of the database are at worst done again. The commits a caller is told of
 * (jobs accepted, jobs deleted) are made durable one by one.
 */
public final class PostgresDatabase implements AutoCloseable {
    /** Connections in the pool: statements are short, so a few serve many workers and requests. */
    static final int POOL_SIZE = 10;
    /**
     * How long a call waits for a connection of the pool: long enough to ride out a busy moment, short enough that a
     * call made while the database is down fails soon (and those after it at once, see {@link PostgresJobStore}).
     */
    static final long CONNECTION_TIMEOUT_MILLIS = 3_000;

    private final Driver driver = new Driver();
    private final String url;
    private final Properties properties;
    private final HikariDataSource pool;
    private final List<HikariDataSource> sidePools = new ArrayList<>();

    private PostgresDatabase(String url, Properties properties, HikariDataSource pool) {
        this.url = url;
        this.properties = properties;
        this.pool = pool;
    }

    /**
     * Checks the URL, connects once, so that an unreachable or refusing database fails here with its reason, and
     * opens the pool.
     *
     * @throws IllegalArgumentException for a URL that is not a PostgreSQL JDBC URL
     * @throws SQLException             when the database cannot be reached or refuses the connection
     */
    static PostgresDatabase open(String url, String nodeId) throws SQLException {
        checkUrl(url);
        Properties properties = new Properties();
        String name = "thumbnail " + nodeId;
        properties.setProperty("ApplicationName", name.substring(0, Math.min(63, name.length())));
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("tcpKeepAlive", "true");
        PostgresDatabase probe = new PostgresDatabase(url, properties, null);
        try (Connection first = probe.connect()) {
            first.isValid(5);
        }
        return new PostgresDatabase(url, properties, pool(url, properties, "thumbnail-postgres", POOL_SIZE));
    }

    private static HikariDataSource pool(String url, Properties properties, String name, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        hikari.setDriverClassName(Driver.class.getName());
        hikari.setDataSourceProperties(properties);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        // Reached once at opening: a database that went away since is the store's outage to report, not a reason to
        // refuse to start.
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionInitSql("SET synchronous_commit = off");
        return new HikariDataSource(hikari);
    }

    /**
     * A small pool of its own on this database, for work that holds a connection while it calls the store (a blob's
     * deletion, decided under a lock, asks whether a job names the blob): on the store's pool, as many such calls as
     * connections would each wait for a connection none gives back. Closed with this database.
     */
    synchronized DataSource sidePool(String purpose, int size) {
        HikariDataSource side = pool(url, properties, "thumbnail-postgres-" + purpose, size);
        sidePools.add(side);
        return side;
    }

    /**
     * Refuses, naming what is allowed, a URL that is not a PostgreSQL JDBC URL with a host and a database. The
     * message shows the URL {@linkplain #mask masked}.
     */
    public static void checkUrl(String url) {
        PostgresUrl.checkScheme(url);
        if (Driver.parseURL(url, null) == null) {
            throw PostgresUrl.refused(url);
        }
        String rest = url.substring(PostgresUrl.PREFIX.length() + 2);
        int authorityEnd = rest.replaceAll("[/?#].*", "").length();
        if (rest.substring(0, authorityEnd).contains("@")) {
            // The driver would take "user:password@host" for a host name, and print it (password and all) in its
            // failure to resolve it.
            throw new IllegalArgumentException("database takes its user and password as parameters, not before the"
                    + " host: " + PostgresUrl.EXAMPLE + " (was '" + mask(url) + "')");
        }
    }

    /** {@code url} with its passwords as {@code ***}: {@link PostgresUrl#mask}. */
    public static String mask(String url) {
        return PostgresUrl.mask(url);
    }

    /** A new connection of its own, outside the pool; the caller closes it. */
    Connection connect() throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + mask(url));
        }
        return c;
    }

    DataSource pool() {
        return pool;
    }

    /** The URL with its password masked, for messages and logs. */
    String masked() {
        return mask(url);
    }

    /** Where the database listens ({@code host:port}), for messages. */
    String address() {
        Properties parsed = Driver.parseURL(url, null);
        return parsed == null ? "?" : (parsed.getProperty("PGHOST", "localhost") + ":"
                + parsed.getProperty("PGPORT", "5432")).toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void close() {
        sidePools.forEach(HikariDataSource::close);
        if (pool != null) {
            pool.close();
        }
    }
}
