package io.thumbnail.quality;

/**
 * Synthetic test patterns for a resampler's frequency response, as grey levels: sinusoidal stripes, a zone plate
 * (a chirp whose frequency grows with the distance from the centre) and a step edge; and the measures that go with
 * them.
 */
public final class Gratings {
    /** Mean grey of every pattern; the patterns swing {@link #AMPLITUDE} either side of it. */
    public static final double MEAN = 128;
    public static final double AMPLITUDE = 100;

    private Gratings() {
    }

    /** Vertical stripes: {@code MEAN + AMPLITUDE cos(2 pi f (x + 0.5))} at {@code f} cycles per pixel. */
    public static int[] stripes(int width, int height, double frequency) {
        int[] grey = new int[width * height];
        for (int x = 0; x < width; x++) {
            int v = level(MEAN + AMPLITUDE * Math.cos(2 * Math.PI * frequency * (x + 0.5)));
            for (int y = 0; y < height; y++) {
                grey[y * width + x] = v;
            }
        }
        return grey;
    }

    /**
     * A zone plate of {@code size} x {@code size}: {@code MEAN + AMPLITUDE cos(pi r^2 / size)}, r the distance from
     * the centre in pixels, so the local frequency is {@code r / size} cycles per pixel, 0.5 at the middle of an edge.
     */
    public static int[] zonePlate(int size) {
        int[] grey = new int[size * size];
        double c = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x + 0.5 - c;
                double dy = y + 0.5 - c;
                grey[y * size + x] = level(MEAN + AMPLITUDE * Math.cos(Math.PI * (dx * dx + dy * dy) / size));
            }
        }
        return grey;
    }

    /** A vertical edge: {@code low} left of {@code x = edge} (in pixels, fractions allowed), {@code high} right of it. */
    public static int[] step(int width, int height, double edge, int low, int high) {
        int[] grey = new int[width * height];
        for (int x = 0; x < width; x++) {
            double covered = Math.max(0, Math.min(1, x + 1 - edge));
            int v = level(low + (high - low) * covered);
            for (int y = 0; y < height; y++) {
                grey[y * width + x] = v;
            }
        }
        return grey;
    }

    /**
     * The amplitude of the component at {@code frequency} cycles per sample in {@code row[from..to)}: the least-squares
     * fit of a sinusoid of that frequency (exact when the run holds whole cycles, close when it holds many).
     */
    public static double amplitude(int[] row, int from, int to, double frequency) {
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += row[i];
        }
        mean /= to - from;
        double cos = 0;
        double sin = 0;
        double cc = 0;
        double ss = 0;
        for (int i = from; i < to; i++) {
            double phase = 2 * Math.PI * frequency * (i + 0.5);
            cos += (row[i] - mean) * Math.cos(phase);
            sin += (row[i] - mean) * Math.sin(phase);
            cc += Math.cos(phase) * Math.cos(phase);
            ss += Math.sin(phase) * Math.sin(phase);
        }
        return Math.hypot(cos / cc, sin / ss);
    }

    /** The largest distance from {@link #MEAN} in {@code row[from..to)}. */
    public static double largestSwing(int[] row, int from, int to) {
        double most = 0;
        for (int i = from; i < to; i++) {
            most = Math.max(most, Math.abs(row[i] - MEAN));
        }
        return most;
    }

    private static int level(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
