package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The pipeline benchmark's figures as a tab-separated table, one row per tool, size, threads and source group. */
final class ResultsFile {
    static final String HEADER = "tool\tsize\tthreads\timages_per_s\tssim_mean\tssim_min\tpeak_rss_mb\tsources\tfiles";

    /**
     * @param peakRssMb peak resident memory with two 20-megapixel images in flight at this size (the same figure
     *                  on the 1- and 2-thread rows of a tool and size); NaN when not measured
     */
    record Row(String tool, int size, int threads, double imagesPerS, double ssimMean, double ssimMin,
               double peakRssMb, String sources, int files) {
        String tsv() {
            return String.format(Locale.ROOT, "%s\t%d\t%d\t%.3f\t%.4f\t%.4f\t%s\t%s\t%d", tool, size, threads,
                    imagesPerS, ssimMean, ssimMin, Double.isNaN(peakRssMb) ? "" : String.format(Locale.ROOT, "%.1f",
                            peakRssMb), sources, files);
        }
    }

    private ResultsFile() {
    }

    static void write(Path file, List<Row> rows) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> text.append(r.tsv()).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}
