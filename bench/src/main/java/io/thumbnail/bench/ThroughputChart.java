package io.thumbnail.bench;

import io.thumbnail.bench.ResultsFile.Row;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grouped bar chart of whole-process batch throughput: one group per size and source group, one bar per tool, the
 * value written on each bar. Drawn with Java2D, so the bench needs nothing else to make it.
 */
final class ThroughputChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int BOTTOM = 90;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd)};

    private ThroughputChart() {
    }

    static void draw(Path file, String title, List<String> tools, List<Row> rows) throws IOException {
        List<String> groups = new ArrayList<>();
        for (Row r : rows) {
            String g = label(r);
            if (!groups.contains(g)) {
                groups.add(g);
            }
        }
        double max = rows.stream().mapToDouble(Row::imagesPerS).max().orElse(1);
        double top = niceCeiling(max);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, LEFT, 30);
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            int baseY = TOP + plotH;
            axes(g, top, plotH, plotW, baseY);
            int groupW = plotW / Math.max(1, groups.size());
            int barW = Math.min(70, (groupW - 30) / Math.max(1, tools.size()));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int gi = 0; gi < groups.size(); gi++) {
                int x0 = LEFT + gi * groupW + (groupW - barW * tools.size()) / 2;
                for (int ti = 0; ti < tools.size(); ti++) {
                    Row row = find(rows, groups.get(gi), tools.get(ti));
                    if (row == null) {
                        continue;
                    }
                    int h = (int) Math.round(row.imagesPerS() / top * plotH);
                    int x = x0 + ti * barW;
                    g.setColor(COLOURS[ti % COLOURS.length]);
                    g.fillRect(x + 2, baseY - h, barW - 4, h);
                    g.setColor(Color.BLACK);
                    centred(g, String.format(Locale.ROOT, "%.1f", row.imagesPerS()), x + barW / 2, baseY - h - 4);
                }
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                centred(g, groups.get(gi), LEFT + gi * groupW + groupW / 2, baseY + 20);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            }
            legend(g, tools, baseY + 50);
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void axes(Graphics2D g, double top, int plotH, int plotW, int baseY) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            int y = baseY - (int) Math.round(plotH * i / 5.0);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            String text = String.format(Locale.ROOT, "%.0f", v);
            g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), y + 4);
        }
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(LEFT, TOP, LEFT, baseY);
        g.drawLine(LEFT, baseY, LEFT + plotW, baseY);
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.rotate(-Math.PI / 2);
            rotated.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            centred(rotated, "images per second, whole process (higher is better)", -(TOP + plotH / 2), 25);
        } finally {
            rotated.dispose();
        }
    }

    private static void legend(Graphics2D g, List<String> tools, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = LEFT;
        for (int i = 0; i < tools.size(); i++) {
            g.setColor(COLOURS[i % COLOURS.length]);
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(tools.get(i), x + 20, y + 1);
            x += 40 + g.getFontMetrics().stringWidth(tools.get(i));
        }
    }

    private static void centred(Graphics2D g, String text, int x, int y) {
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, x - m.stringWidth(text) / 2, y);
    }

    private static String label(Row r) {
        return r.size() + " px, " + r.sources();
    }

    private static Row find(List<Row> rows, String group, String tool) {
        for (Row r : rows) {
            if (r.tool().equals(tool) && label(r).equals(group)) {
                return r;
            }
        }
        return null;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= v * 1.08) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
