package io.thumbnail.bench;

import io.thumbnail.Limits;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident memory of a JVM thumbnailing some large JPEGs, all of them in flight at once (one thread each,
 * each file {@link #PASSES} times). Runs in a child JVM started with the JVM's defaults (no heap option), so the
 * figure is what a fresh process uses, JIT and class metadata included: {@code VmHWM} from
 * {@code /proc/self/status}, read by the child just before it exits.
 *
 * <pre>java -cp bench.jar io.thumbnail.bench.PeakMemory TOOL SIZE FILE...</pre>
 */
public final class PeakMemory {
    static final int PASSES = 2;
    private static final long TIMEOUT_MINUTES = 10;

    private PeakMemory() {
    }

    /** Starts the child for {@code tool} ("thumbnail" or "thumbnailator") and returns its peak RSS in MB. */
    static double measure(String tool, int size, List<Path> files) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PeakMemory.class.getName(), tool, String.valueOf(size)));
        files.forEach(f -> command.add(f.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IllegalStateException("the memory probe for " + tool + " failed:\n" + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("VmHWM_KB ")) {
                return Long.parseLong(line.substring(9).strip()) / 1024.0;
            }
        }
        throw new IllegalStateException("the memory probe printed no VmHWM:\n" + output);
    }

    public static void main(String[] args) throws Exception {
        String tool = args[0];
        int size = Integer.parseInt(args[1]);
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        Bench.Maker maker = switch (tool) {
            case "thumbnail" -> (data, s) -> thumbnailer.thumbnail(data, ThumbnailSpec.box(s, s)).bytes();
            case "thumbnailator" -> Bench::thumbnailator;
            default -> throw new IllegalArgumentException("unknown tool " + tool);
        };
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 2; i < args.length; i++) {
            byte[] data = Files.readAllBytes(Path.of(args[i]));
            Thread t = new Thread(() -> {
                for (int pass = 0; pass < PASSES; pass++) {
                    maker.thumbnail(data, size);
                }
            }, "peak-memory-" + (i - 2));
            t.setUncaughtExceptionHandler((thread, e) -> failure[0] = e);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.println("VmHWM_KB " + line.replaceAll("[^0-9]", ""));
            }
        }
    }
}
