package io.thumbnail.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real entry point ({@link Main}) in a JVM of its own with 256 MB of heap, its output collected line by line as
 * it prints it. Closing it kills what is still running. In the integration tests, which run once the server is
 * packaged, the system property {@value #JAR_PROPERTY} names the jar, and the child is {@code java -jar} of it.
 */
final class ChildServer implements AutoCloseable {
    /** The packaged server jar to run instead of this test's class path, when set. */
    static final String JAR_PROPERTY = "thumbnail.server.jar";
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    private ChildServer(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    unread.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java -Xmx256m -cp <this test's class path> io.thumbnail.server.Main <args>}, or
     * {@code java -Xmx256m -jar <the packaged jar> <args>} where {@value #JAR_PROPERTY} names it.
     */
    static ChildServer start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** @param jvmArgs options for the child JVM itself, such as {@code -Dname=value} */
    static ChildServer start(List<String> jvmArgs, String... args) throws IOException {
        return start(Map.of(), jvmArgs, args);
    }

    /** @param environment variables set (or, mapped to null, removed) in the child's environment */
    static ChildServer start(Map<String, String> environment, List<String> jvmArgs, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(jvmArgs);
        String jar = System.getProperty(JAR_PROPERTY);
        command.addAll(jar != null ? List.of("-jar", jar)
                : List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The test run's own THUMBNAIL_ variables (the corpus, the repository) are no options of the server.
        builder.environment().keySet().removeIf(name -> name.startsWith("THUMBNAIL_"));
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new ChildServer(builder.start());
    }

    Process process() {
        return process;
    }

    /** Reads output until the line with the URL (60 s at most) and returns its port. */
    int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String line = unread.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!reader.isAlive() && unread.isEmpty()) {
                    break;
                }
                continue;
            }
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server never printed its URL; output:\n" + String.join("\n", seen));
    }

    /** Waits (at most {@code timeout}) for the output to end, as it does when the process exits. */
    void awaitEndOfOutput(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
    }

    /** Every line printed so far, from the first. */
    List<String> printed() {
        List<String> all = new ArrayList<>(seen);
        all.addAll(unread);
        return all;
    }

    /** Every line printed so far after the URL line. */
    List<String> output() {
        return List.copyOf(unread);
    }

    /** Kills the process if it still runs, and waits (at most 30 s) for it to be gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
