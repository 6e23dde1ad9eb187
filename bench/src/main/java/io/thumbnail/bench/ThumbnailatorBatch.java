package io.thumbnail.bench;

import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.name.Rename;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Thumbnailator as a batch process, the way its documentation makes thumbnails of many files: one call over all
 * of them ({@code Thumbnails.of(files).size(n, n)...toFiles(dir, Rename.NO_CHANGE)}), JPEG at quality 85.
 *
 * <pre>java -cp bench.jar io.thumbnail.bench.ThumbnailatorBatch SIZE OUTDIR FILE...</pre>
 */
public final class ThumbnailatorBatch {
    private ThumbnailatorBatch() {
    }

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        File out = Path.of(args[1]).toFile();
        File[] files = Arrays.stream(args, 2, args.length).map(File::new).toArray(File[]::new);
        Thumbnails.of(files).size(size, size).outputFormat("jpg").outputQuality(0.85).toFiles(out, Rename.NO_CHANGE);
    }
}
