package io.thumbnail.bench;

import io.thumbnail.bench.Bench.Photo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * libvips' {@code vipsthumbnail} as a contender, run the way it is meant to be: one process over all the files
 * ({@code vipsthumbnail -s SIZE -o OUT/%s.jpg[Q=85] files...}), timed from start to exit, so its start-up is
 * part of the figure. With {@code --vips-concurrency=1}; "2 threads" is two such processes at once, each over
 * half of the files. Inputs are symbolic links named by index, so that equal file names in different folders
 * cannot overwrite each other's thumbnails.
 */
final class VipsThumbnail {
    static final Path BINARY = Path.of("/usr/bin/vipsthumbnail");
    private static final long TIMEOUT_MINUTES = 10;

    private final Path work;

    VipsThumbnail(Path work) {
        this.work = work;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Images/s on one and on two processes (medians over rounds) and the thumbnails of the last run. */
    record Run(double perSecond1, double perSecond2, List<byte[]> thumbnails) {
    }

    /** One set of photos to time round by round; the first run (a warm-up of page cache and linker) is made here. */
    final class Batch {
        private final List<Path> inputs = new ArrayList<>();
        private final List<Path> even = new ArrayList<>();
        private final List<Path> odd = new ArrayList<>();
        private final List<Long> one = new ArrayList<>();
        private final List<Long> two = new ArrayList<>();
        private final int size;
        private final Path out;

        Batch(List<Photo> photos, int size, String name) throws IOException, InterruptedException {
            this.size = size;
            Path in = fresh(name + "-in");
            for (int i = 0; i < photos.size(); i++) {
                Path link = in.resolve(String.format("p%03d.jpg", i));
                Files.createSymbolicLink(link, photos.get(i).path().toAbsolutePath());
                inputs.add(link);
                (i % 2 == 0 ? even : odd).add(link);
            }
            out = fresh(name + "-out");
            run(List.of(inputs), size, out);
        }

        void round() throws IOException, InterruptedException {
            one.add(run(List.of(inputs), size, out));
            two.add(run(odd.isEmpty() ? List.of(even) : List.of(even, odd), size, out));
        }

        Run result() throws IOException {
            List<byte[]> thumbnails = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                thumbnails.add(Files.readAllBytes(out.resolve(String.format("p%03d.jpg", i))));
            }
            return new Run(inputs.size() / (median(one) / 1e9), inputs.size() / (median(two) / 1e9), thumbnails);
        }
    }

    /**
     * Peak resident memory in MB of thumbnailing {@code files} with one process each, all at once: the sum of
     * the processes' peaks as GNU time reports them ({@code %M}); NaN without {@code /usr/bin/time}.
     */
    double peakRssMb(List<Path> files, int size) throws IOException, InterruptedException {
        Path time = Path.of("/usr/bin/time");
        if (!Files.isExecutable(time)) {
            return Double.NaN;
        }
        Path out = fresh("rss");
        List<Process> processes = new ArrayList<>();
        List<Path> reports = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path report = out.resolve("rss-" + i + ".txt");
            reports.add(report);
            List<String> command = new ArrayList<>(List.of(time.toString(), "-f", "%M", "-o", report.toString()));
            command.addAll(vips(size, out, List.of(files.get(i))));
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        long kb = 0;
        for (int i = 0; i < processes.size(); i++) {
            await(processes.get(i));
            String text = Files.readString(reports.get(i), StandardCharsets.UTF_8).strip();
            kb += Long.parseLong(text.substring(text.lastIndexOf('\n') + 1).strip());
        }
        return kb / 1024.0;
    }

    /** Runs one vipsthumbnail process per list, all at once; returns the wall time until the last exits. */
    private long run(List<List<Path>> batches, int size, Path out) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        for (List<Path> batch : batches) {
            processes.add(new ProcessBuilder(vips(size, out, batch)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : processes) {
            await(p);
        }
        return System.nanoTime() - start;
    }

    private static List<String> vips(int size, Path out, List<Path> files) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--vips-concurrency=1", "-s",
                String.valueOf(size), "-o", out.toAbsolutePath() + "/%s.jpg[Q=85]"));
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    private static void await(Process p) throws InterruptedException {
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("vipsthumbnail did not finish in " + TIMEOUT_MINUTES + " minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("vipsthumbnail exited with " + p.exitValue());
        }
    }

    private Path fresh(String name) throws IOException {
        Path dir = work.resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static double median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
