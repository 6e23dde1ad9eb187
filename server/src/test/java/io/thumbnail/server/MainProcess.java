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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real entry point ({@link Main}) in a JVM of its own, its output collected line by line as it prints it. */
final class MainProcess {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    final Process process;
    /** Every line the child has printed and no one has consumed yet. */
    final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    final Thread reader;

    private MainProcess(Process process) {
        this.process = process;
        this.reader = collect(process, output);
    }

    static MainProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** @param jvmArgs options for the child JVM itself, such as {@code -Dname=value} */
    static MainProcess start(List<String> jvmArgs, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new MainProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Copies every line the child prints into {@code lines}, as it prints it, on a named daemon thread. */
    private static Thread collect(Process process, BlockingQueue<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Reads (and consumes) output until the URL line; the lines after it stay in the queue. */
    int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server never printed its URL; output:\n" + String.join("\n", seen));
    }
}
