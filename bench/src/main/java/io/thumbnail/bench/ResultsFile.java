package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The pipeline benchmark's figures as a tab-separated table, one row per tool, size and source group. */
final class ResultsFile {
    static final String HEADER = "tool\tsize\tsources\tfiles\tbatch_images_per_s\tbatch_cpu_ms_per_image"
            + "\tpeak_rss_mb\twarm_ms_per_image\tssim_area\tssim_lanczos\tssim_lanczos_min";

    /**
     * @param imagesPerS      files / the median wall time of the tool's process over them
     * @param cpuMsPerImage   the median CPU time of that process (all threads) per file
     * @param peakRssMb       the largest peak resident memory of that process over the rounds
     * @param warmMsPerImage  in-process CPU per image once warm, one thread (JVM tools only; NaN otherwise)
     * @param ssimArea        mean SSIM against the exact area average of the full decode
     * @param ssimLanczos     mean SSIM against Lanczos3 of the full decode
     * @param ssimLanczosMin  the lowest of those
     */
    record Row(String tool, int size, String sources, int files, double imagesPerS, double cpuMsPerImage,
               double peakRssMb, double warmMsPerImage, double ssimArea, double ssimLanczos, double ssimLanczosMin) {
        String tsv() {
            return String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%.3f\t%.1f\t%.1f\t%s\t%.4f\t%.4f\t%.4f", tool, size,
                    sources, files, imagesPerS, cpuMsPerImage, peakRssMb,
                    Double.isNaN(warmMsPerImage) ? "" : String.format(Locale.ROOT, "%.1f", warmMsPerImage), ssimArea,
                    ssimLanczos, ssimLanczosMin);
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
