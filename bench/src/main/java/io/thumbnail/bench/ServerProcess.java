package io.thumbnail.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server jar started as a child process on 127.0.0.1, on a free port, with a fresh data directory; its output
 * goes to {@code server.log} in a temporary folder, which is deleted on {@link #close()}.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path home;
    private final int port;
    private final long launchedNanos;

    private ServerProcess(Process process, Path home, int port, long launchedNanos) {
        this.process = process;
        this.home = home;
        this.port = port;
        this.launchedNanos = launchedNanos;
    }

    /** Launches {@code java [jvmArgs] -jar jar --host 127.0.0.1 --port P --data-dir TMP [serverArgs]}. */
    static ServerProcess launch(Path jar, List<String> jvmArgs, List<String> serverArgs) throws IOException {
        return launch(List.of(), jar, jvmArgs, serverArgs);
    }

    /** As {@link #launch(Path, List, List)}, run by {@code prefix} (such as {@code taskset -c 0}). */
    static ServerProcess launch(List<String> prefix, Path jar, List<String> jvmArgs, List<String> serverArgs)
            throws IOException {
        Path home = Files.createTempDirectory("thumbnail-bench-server");
        int port = freePort();
        List<String> command = new ArrayList<>(prefix);
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--data-dir", home.resolve("data").toString()));
        command.addAll(serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("server.log").toFile());
        long launched = System.nanoTime();
        return new ServerProcess(builder.start(), home, port, launched);
    }

    /** The java launcher this JVM runs on, so the child uses the same JDK. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port free right now on 127.0.0.1 (another process could take it before the server does; rare). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Polls {@code /health} every {@code pollMillis} until it answers 200; returns nanoseconds from launch to that
     * answer. Fails if the process exits or {@code timeout} passes first.
     */
    long awaitHealthy(HttpClient client, Duration timeout, long pollMillis) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = launchedNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log());
            }
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return System.nanoTime() - launchedNanos;
                }
            } catch (IOException notYet) {
                // Not listening yet: try again.
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException("the server did not answer /health with 200 within " + timeout + "; see "
                + log());
    }

    Path log() {
        return home.resolve("server.log");
    }

    /** A field of {@code /proc/PID/status} in bytes ({@code VmRSS}, {@code VmHWM}); empty where there is no /proc. */
    OptionalLong procStatusBytes(String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            return lines.filter(l -> l.startsWith(field + ":"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    /** CPU time the server has used so far, all threads, user and system, in milliseconds (0 without /proc). */
    long cpuMillis() {
        return ProcCpu.millis(process.pid(), false);
    }

    /** SIGTERM, up to 30 s to stop cleanly, then kill; the temporary folder goes too. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        TempFolders.delete(home);
    }
}
