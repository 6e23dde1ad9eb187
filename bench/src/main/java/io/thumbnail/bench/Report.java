package io.thumbnail.bench;

import io.thumbnail.bench.Bench.Group;
import io.thumbnail.bench.ResultsFile.Row;

import java.util.List;
import java.util.Locale;

/** Prints one size's figures: a table per source group, then this pipeline's ratios to the others. */
final class Report {
    private Report() {
    }

    static void print(int size, List<Group> groups, List<String> tools, List<Row> rows) {
        System.out.printf(Locale.ROOT, "%n== %d px ==%n", size);
        // ms/img: the mean over the group's photos of each photo's median time on one thread.
        System.out.printf(Locale.ROOT, "%-14s %-16s %5s %8s %10s %10s %8s %8s %12s%n",
                "tool", "sources", "files", "ms/img", "img/s 1T", "img/s 2T", "SSIM", "SSIM min", "peak RSS MB");
        for (Group g : groups) {
            for (String tool : tools) {
                Row one = find(rows, tool, g, 1);
                Row two = find(rows, tool, g, 2);
                if (one == null || two == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "%-14s %-16s %5d %8.1f %10.2f %10.2f %8.4f %8.4f %12.0f%n", tool,
                        g.name(), one.files(), 1000 / one.imagesPerS(), one.imagesPerS(), two.imagesPerS(),
                        one.ssimMean(), one.ssimMin(), one.peakRssMb());
            }
        }
        for (Group g : groups) {
            Row ours1 = find(rows, tools.get(0), g, 1);
            Row ours2 = find(rows, tools.get(0), g, 2);
            if (ours1 == null || ours2 == null) {
                continue;
            }
            for (String other : tools.subList(1, tools.size())) {
                Row theirs1 = find(rows, other, g, 1);
                Row theirs2 = find(rows, other, g, 2);
                if (theirs1 == null || theirs2 == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "ratio %s/%s (%s): %.2fx on 1 thread, %.2fx on 2 threads, SSIM %+.4f%n",
                        tools.get(0), other, g.name(), ours1.imagesPerS() / theirs1.imagesPerS(),
                        ours2.imagesPerS() / theirs2.imagesPerS(), ours1.ssimMean() - theirs1.ssimMean());
            }
        }
    }

    private static Row find(List<Row> rows, String tool, Group g, int threads) {
        for (Row r : rows) {
            if (r.tool().equals(tool) && r.sources().equals(g.name()) && r.threads() == threads) {
                return r;
            }
        }
        return null;
    }
}
