package io.thumbnail.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A thumbnailer run as a user runs it on many files: one process over all of them, JPEG at quality 85, each
 * thumbnail written as {@code OUT/<input name>.jpg}, each tool with its own defaults for threads.
 *
 * @param command the command line for a size, an output directory and the input files
 */
record BatchTool(String name, Command command) {
    @FunctionalInterface
    interface Command {
        List<String> line(int size, Path out, List<Path> files);
    }

    /** This project's batch command line: {@code java -jar thumbnail-server.jar thumbnail ...}, on every core. */
    static BatchTool thumbnail(Path jar) {
        return new BatchTool("thumbnail", (size, out, files) -> with(files, List.of(java(), "-jar",
                jar.toAbsolutePath().toString(), "thumbnail", "--size", size + "x" + size, "--quality", "85", "-o",
                out.toString())));
    }

    /** libvips' {@code vipsthumbnail}, with its default threads. */
    static BatchTool vipsthumbnail(Path binary) {
        return new BatchTool("vipsthumbnail", (size, out, files) -> with(files, List.of(binary.toString(), "-s",
                String.valueOf(size), "-o", out.toAbsolutePath() + "/%s.jpg[Q=85]")));
    }

    /** Thumbnailator's batch call in a JVM of its own ({@link ThumbnailatorBatch}), one thread. */
    static BatchTool thumbnailator() {
        return new BatchTool("thumbnailator", (size, out, files) -> with(files, List.of(java(), "-cp",
                System.getProperty("java.class.path"), ThumbnailatorBatch.class.getName(), String.valueOf(size),
                out.toString())));
    }

    static boolean isExecutable(Path binary) {
        return Files.isExecutable(binary);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> with(List<Path> files, List<String> head) {
        List<String> line = new ArrayList<>(head);
        files.forEach(f -> line.add(f.toString()));
        return line;
    }
}
