package io.thumbnail.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the batch command line names each input's thumbnail, before its extension: the file's name without its own
 * ({@code beach.jpeg} → {@code beach}), or, when inputs of other names share that stem ({@code x.jpg} beside
 * {@code x.png}), its whole name ({@code x.jpg}, {@code x.png}), so that each gets a thumbnail of its own
 * ({@code x.jpg.jpg}, {@code x.png.jpg}) whatever format each turns out to be written in. Inputs of one name in
 * several folders keep the stem: only one of them can be made in one folder.
 */
final class ThumbnailNames {
    private ThumbnailNames() {
    }

    /** Each file's thumbnail name, by the file. */
    static Map<Path, String> of(List<Path> files) {
        Map<String, Set<String>> namesByStem = new HashMap<>();
        for (Path file : files) {
            namesByStem.computeIfAbsent(stem(file), s -> new HashSet<>()).add(file.getFileName().toString());
        }
        Map<Path, String> names = new LinkedHashMap<>();
        for (Path file : files) {
            String stem = stem(file);
            names.put(file, namesByStem.get(stem).size() > 1 ? file.getFileName().toString() : stem);
        }
        return names;
    }

    /** The file's name without its extension; a name that is all extension ({@code .jpg}) is kept whole. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
