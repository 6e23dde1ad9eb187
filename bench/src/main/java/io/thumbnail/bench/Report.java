package io.thumbnail.bench;

import io.thumbnail.bench.ResultsFile.Row;

import java.util.List;
import java.util.Locale;

/** Prints one size's figures: a table per source group, then this pipeline's ratios to the others. */
final class Report {
    private Report() {
    }

    static void print(int size, List<Row> rows) {
        System.out.printf(Locale.ROOT, "%n== %d px ==%n", size);
        System.out.printf(Locale.ROOT, "%-14s %-12s %5s %7s %7s %6s %7s %9s %9s %9s%n", "tool", "sources", "files",
                "img/s", "CPU ms", "RSS MB", "warm ms", "SSIM area", "SSIM Lcz", "Lcz min");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-14s %-12s %5d %7.2f %7.0f %6.0f %7s %9.4f %9.4f %9.4f%n", r.tool(),
                    r.sources(), r.files(), r.imagesPerS(), r.cpuMsPerImage(), r.peakRssMb(),
                    Double.isNaN(r.warmMsPerImage()) ? "-" : String.format(Locale.ROOT, "%.1f", r.warmMsPerImage()),
                    r.ssimArea(), r.ssimLanczos(), r.ssimLanczosMin());
        }
        String ours = rows.get(0).tool();
        for (Row r : rows) {
            Row mine = rows.stream().filter(o -> o.tool().equals(ours) && o.sources().equals(r.sources()))
                    .findFirst().orElse(null);
            if (mine == null || r.tool().equals(ours)) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%s/%s (%s): %.2fx images/s, %.2fx less CPU per image%s;"
                            + " SSIM against Lanczos3 %+.4f, against the area average %+.4f%n", ours, r.tool(),
                    r.sources(), mine.imagesPerS() / r.imagesPerS(), r.cpuMsPerImage() / mine.cpuMsPerImage(),
                    Double.isNaN(r.warmMsPerImage()) ? ""
                            : String.format(Locale.ROOT, " (%.2fx warm)", r.warmMsPerImage() / mine.warmMsPerImage()),
                    mine.ssimLanczos() - r.ssimLanczos(), mine.ssimArea() - r.ssimArea());
        }
    }
}
