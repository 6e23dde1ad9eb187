package io.thumbnail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One timed run of a {@link BatchTool} over some files: wall time from launch to exit (start-up included), and,
 * through GNU {@code time}, the process's CPU time (user + system, all threads) and peak resident memory.
 *
 * @param cpuSeconds NaN without {@code /usr/bin/time}
 * @param peakRssMb  NaN without {@code /usr/bin/time}
 */
record BatchRun(double wallSeconds, double cpuSeconds, double peakRssMb) {
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final long TIMEOUT_MINUTES = 10;

    static BatchRun of(BatchTool tool, int size, Path out, List<Path> files) throws IOException, InterruptedException {
        Path report = Files.createTempFile("batch-time", ".txt");
        try {
            List<String> line = new ArrayList<>();
            boolean timed = Files.isExecutable(TIME);
            if (timed) {
                line.addAll(List.of(TIME.toString(), "-f", "%U %S %M", "-o", report.toString()));
            }
            line.addAll(tool.command().line(size, out, files));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool.name() + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (p.exitValue() != 0) {
                throw new IllegalStateException(tool.name() + " exited with " + p.exitValue() + ":\n" + output);
            }
            if (!timed) {
                return new BatchRun(wall, Double.NaN, Double.NaN);
            }
            List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
            String[] f = lines.get(lines.size() - 1).trim().split(" ");
            return new BatchRun(wall, Double.parseDouble(f[0]) + Double.parseDouble(f[1]),
                    Long.parseLong(f[2]) / 1024.0);
        } finally {
            Files.deleteIfExists(report);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2f s wall, %.2f s CPU, %.0f MB", wallSeconds, cpuSeconds, peakRssMb);
    }
}
