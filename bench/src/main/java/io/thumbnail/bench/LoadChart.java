package io.thumbnail.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link LoadBench}'s results as a PNG drawn with Java2D: three panels of horizontal bars (throughput against the bare
 * pipeline, status GET latency percentiles, server RSS), each with its target as a dashed line.
 */
final class LoadChart {
    private static final int WIDTH = 900;
    private static final int PANEL = 150;
    private static final int LEFT = 230;
    private static final Color BAR = new Color(0x2f6db5);
    private static final Color REFERENCE = new Color(0x9aa5b1);
    private static final Color TARGET = new Color(0xc0392b);

    private LoadChart() {
    }

    private record Bar(String label, double value, String text, boolean reference) {
    }

    static void write(LoadBench.Report r, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, 70 + 3 * PANEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            LoadOptions o = r.options();
            g.drawString(String.format(Locale.ROOT, "End to end: %d clients, %d s, -Xmx%s, %d workers, %d JPEGs",
                    o.clients(), o.seconds(), o.xmx(), o.workers(), r.photoCount()), 20, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(Machine.describe(), 20, 46);

            List<Bar> throughput = new ArrayList<>();
            throughput.add(new Bar("end to end (jobs/s)", r.load().perSecond(),
                    fmt("%.2f", r.load().perSecond()), false));
            r.bare().ifPresent(b -> throughput.add(new Bar("bare pipeline (images/s)", b.imagesPerSecond(),
                    fmt("%.2f", b.imagesPerSecond()), true)));
            double bare = r.bare().map(BareRun::imagesPerSecond).orElse(Double.NaN);
            panel(g, 60, "Throughput (target: end to end ≥ 90 % of bare)", throughput, 0.9 * bare);

            Latencies s = r.probe().latencies();
            List<Bar> latency = new ArrayList<>();
            for (int p : new int[] {50, 95, 99}) {
                double ms = s.percentileMillis(p);
                latency.add(new Bar("status GET p" + p + " (ms)", ms, fmt("%.2f ms", ms), false));
            }
            panel(g, 60 + PANEL, fmt("Status GET latency while processing, %.0f requests/s (target: p99 < 10 ms)",
                    r.probe().requestsPerSecond()), latency, LoadTable.STATUS_P99_TARGET_MILLIS);

            long peak = Math.max(r.hwmBytes(), r.peakRssBytes()) >> 20;
            panel(g, 60 + 2 * PANEL, "Server peak RSS (target: < 512 MB)",
                    List.of(new Bar("peak RSS (MB)", peak, peak + " MB", false)), LoadTable.RSS_TARGET_BYTES >> 20);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, int top, String title, List<Bar> bars, double target) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, 20, top + 20);
        double max = Double.isNaN(target) ? 0 : target * 1.15;
        for (Bar bar : bars) {
            max = Math.max(max, bar.value() * 1.15);
        }
        int plot = WIDTH - LEFT - 100;
        int barHeight = Math.min(28, (PANEL - 50) / Math.max(1, bars.size()) - 6);
        int y = top + 34;
        for (Bar bar : bars) {
            int length = max <= 0 || Double.isNaN(bar.value()) ? 0 : (int) Math.round(bar.value() / max * plot);
            g.setColor(Color.DARK_GRAY);
            g.drawString(bar.label(), 20, y + barHeight - 8);
            g.setColor(bar.reference() ? REFERENCE : BAR);
            g.fillRect(LEFT, y, length, barHeight);
            g.setColor(Color.BLACK);
            g.drawString(bar.text(), LEFT + length + 6, y + barHeight - 8);
            y += barHeight + 6;
        }
        if (!Double.isNaN(target) && max > 0) {
            int x = LEFT + (int) Math.round(target / max * plot);
            g.setColor(TARGET);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
            g.drawLine(x, top + 28, x, y);
            g.setStroke(new BasicStroke(1));
        }
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
