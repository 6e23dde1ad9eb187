package io.thumbnail.server;

import io.thumbnail.OutputFormat;

import java.util.StringJoiner;

/** The batch command line's {@code --help}, also printed after a usage error. */
final class CliUsage {
    static final String TEXT = "Usage: java -jar thumbnail-server.jar thumbnail --size WxH [--fit contain|cover|fill]"
            + " [--gravity G | --focus X,Y] [--format " + formats() + "] [--quality 1-100]"
            + " [--max-bytes SIZE] [--max-pixels N] [--timeout SECONDS] [--overwrite] -o OUTDIR [--] FILE...\n"
            + "  --size       the box: 100x100, or 100x (width only) or x100 (height only)\n"
            + "  --fit        contain (default) keeps the aspect ratio inside the box, cover crops to fill it, fill stretches\n"
            + "  --gravity    with --fit cover, the part the crop keeps: center (default), north, south, east, west,\n"
            + "               northeast, northwest, southeast, southwest, or smart (the region of interest)\n"
            + "  --focus      with --fit cover, the point X,Y (fractions 0-1 of the upright image) the crop is centred on\n"
            + "  --format     " + formatChoices()
            + "  --quality    JPEG and WebP quality, default 85 for JPEG and 82 for WebP\n"
            + "  --max-bytes  largest input file, default 50M (K, M or G suffix)\n"
            + "  --max-pixels largest input image in pixels, every frame of an animation counted, default 50000000\n"
            + "  --timeout    longest one file may take, default 60 (seconds, or a duration such as 30s, 5m or PT1M)\n"
            + "  --overwrite  replace files already in OUTDIR under a thumbnail's name (else that file fails)\n"
            + "  -o           the output directory (created if missing)\n"
            + "  FILE         an image, or a folder of them (the files directly in it); after --, any name\n";

    private CliUsage() {
    }

    /** Every format {@code --format} takes, as {@link OutputFormat#parse} reads them: {@code auto|jpeg|...}. */
    private static String formats() {
        StringJoiner ids = new StringJoiner("|");
        for (OutputFormat format : OutputFormat.values()) {
            ids.add(format.id());
        }
        return ids.toString();
    }

    /**
     * The help's lines for {@code --format}, one per format {@link OutputFormat#parse} takes, with what it makes. The
     * switch names every format, so a new one does not compile without its line.
     */
    private static String formatChoices() {
        StringBuilder lines = new StringBuilder();
        for (OutputFormat format : OutputFormat.values()) {
            String note = switch (format) {
                case AUTO -> "the default: png if the image has transparency, else jpeg";
                case JPEG, PNG -> "";
                case WEBP -> "lossy, transparency kept";
                case AUTO_WEBP -> "the webp and, beside it, the jpeg or png auto would make";
            };
            // In the help's second column (15 characters in), the note in a third after the longest id.
            lines.append(lines.isEmpty() ? "" : " ".repeat(15))
                    .append((format.id() + " ".repeat(Math.max(1, 11 - format.id().length())) + note).stripTrailing())
                    .append('\n');
        }
        return lines.toString();
    }
}
