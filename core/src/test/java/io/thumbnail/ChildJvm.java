package io.thumbnail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** A class's {@code main} in a JVM of its own, on the tests' class path, its standard error kept in a file. */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(Class<?> main, String maxHeap, Path errors, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may run tests from a manifest-only jar; its Class-Path entries carry over to the child.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(errors.toFile());
        return pb.start();
    }

    /** What a child that ran to its end printed (standard output and error together), and how it ended. */
    record Run(boolean finished, int exitCode, String output) {
    }

    /** Runs {@code main} to its end (two minutes at most), its standard error with its output. */
    static Run run(Class<?> main, String maxHeap, String... args) throws IOException, InterruptedException {
        return runOn(System.getProperty("java.class.path"), main, maxHeap, args);
    }

    /** As {@link #run}, on {@code classPath} instead of the tests' own class path. */
    static Run runOn(String classPath, Class<?> main, String maxHeap, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap, "-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = child.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        return new Run(finished, finished ? child.exitValue() : -1, output);
    }

    /** Waits until the child prints {@code expected} as a line; fails, quoting its standard error, if it does not. */
    static void awaitLine(Process child, String expected, Duration timeout, Path errors) throws Exception {
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(expected)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean found;
        try {
            found = seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            found = false;
        }
        assertThat(found).as("child printed '" + expected + "' (stderr: " + tail(errors) + ")").isTrue();
    }

    private static String tail(Path errors) {
        try {
            String err = Files.readString(errors);
            return err.length() > 2000 ? err.substring(err.length() - 2000) : err;
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
