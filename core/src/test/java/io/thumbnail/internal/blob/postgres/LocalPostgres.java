package io.thumbnail.internal.blob.postgres;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests, on loopback: one server per test JVM (its first start costs seconds), a fresh
 * database for each caller. Durability is off: the tests never cut the power.
 */
final class LocalPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static int port;

    private LocalPostgres() {
    }

    private static synchronized int port() {
        if (server == null) {
            try {
                Path data = Files.createTempDirectory("thumbnail-test-pg");
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        .setPort(port)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("unix_socket_directories", "")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the tests' PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // The JVM is ending; the temporary folder is what is left.
                }
            }, "local-postgres-stop"));
        }
        return port;
    }

    /** A new, empty database and a pool of {@code connections} to it; close the pool when done. */
    static HikariDataSource newDatabase(int connections) {
        String name = "thumbs_" + DATABASES.incrementAndGet();
        String root = "jdbc:postgresql://127.0.0.1:" + port() + "/";
        try (Connection c = DriverManager.getConnection(root + "postgres?user=postgres");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(root + name + "?user=postgres");
        config.setMaximumPoolSize(connections);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }
}
