package io.thumbnail.bench;

import io.thumbnail.bench.ResultsFile.Row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch runs of every tool over one group of photos at one size. Inputs are symbolic links named by index,
 * so that equal file names from different folders cannot overwrite each other's thumbnails and every tool's
 * thumbnail of input i is {@code OUT/p<i>.jpg}. The first run of each tool, untimed, fills the page cache.
 */
final class Batches {
    private final List<Photo> photos;
    private final List<BatchTool> tools;
    private final int size;
    private final List<Path> inputs = new ArrayList<>();
    private final Map<String, Path> outputs = new LinkedHashMap<>();
    private final Map<String, List<BatchRun>> runs = new LinkedHashMap<>();
    private int rounds;

    Batches(Path dir, List<Photo> photos, List<BatchTool> tools, int size) throws IOException, InterruptedException {
        this.photos = photos;
        this.tools = tools;
        this.size = size;
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < photos.size(); i++) {
            inputs.add(Files.createSymbolicLink(in.resolve(name(i)), photos.get(i).path().toAbsolutePath()));
        }
        for (BatchTool tool : tools) {
            Path out = Files.createDirectories(dir.resolve(tool.name()));
            outputs.put(tool.name(), out);
            runs.put(tool.name(), new ArrayList<>());
            BatchRun.of(tool, size, out, inputs);
        }
    }

    /** One timed run of each tool, in {@link #order}. */
    void round() throws IOException, InterruptedException {
        for (BatchTool tool : order(tools, rounds++)) {
            runs.get(tool.name()).add(BatchRun.of(tool, size, outputs.get(tool.name()), inputs));
        }
    }

    /**
     * The tools' order in round {@code round}: as given, and reversed every other round, so that no tool always runs
     * right after the same one. A run right after Thumbnailator's gigabyte JVM finds the machine slower; rounds that
     * only rotated the lead kept the cycle, and the tool after it in the list always followed it.
     */
    static <T> List<T> order(List<T> tools, int round) {
        if (round % 2 == 0) {
            return tools;
        }
        List<T> reversed = new ArrayList<>(tools);
        Collections.reverse(reversed);
        return reversed;
    }

    /** The tool's figures: medians over the rounds, the largest peak RSS, and the SSIMs of its thumbnails. */
    Row row(BatchTool tool, String group, double warmMsPerImage) {
        List<BatchRun> mine = runs.get(tool.name());
        double wall = median(mine.stream().mapToDouble(BatchRun::wallSeconds).toArray());
        double cpu = median(mine.stream().mapToDouble(BatchRun::cpuSeconds).toArray());
        double rss = mine.stream().mapToDouble(BatchRun::peakRssMb).max().orElse(Double.NaN);
        double area = 0;
        double lanczos = 0;
        double lanczosMin = 1;
        for (int i = 0; i < photos.size(); i++) {
            double[] ssim = photos.get(i).ssim(outputs.get(tool.name()).resolve(name(i)));
            area += ssim[0];
            lanczos += ssim[1];
            lanczosMin = Math.min(lanczosMin, ssim[1]);
        }
        int n = photos.size();
        return new Row(tool.name(), size, group, n, n / wall, cpu * 1000 / n, rss, warmMsPerImage, area / n,
                lanczos / n, lanczosMin);
    }

    private static String name(int i) {
        return String.format("p%03d.jpg", i);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
