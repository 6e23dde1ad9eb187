package io.thumbnail.server;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The environment's {@code THUMBNAIL_...} variables that no option of the server reads. */
final class UnknownVariables {
    private UnknownVariables() {
    }

    /**
     * The variables in {@code env} named like an option's ({@code THUMBNAIL_...}) that no option reads, each with the
     * option's variable it is most likely a slip of, if one is close: a misspelt variable is otherwise silently
     * ignored, and its option keeps its default.
     */
    static Map<String, Optional<String>> in(Map<String, String> env) {
        Set<String> known = new HashSet<>(Set.of(BatchJvm.SAME_JVM));
        ServerOptions.ALL.forEach(option -> known.add(option.env()));
        Map<String, Optional<String>> unknown = new TreeMap<>();
        for (String name : env.keySet()) {
            if (name.startsWith("THUMBNAIL_") && !known.contains(name)) {
                unknown.put(name, ServerOptions.ALL.stream().map(ServerOption::env)
                        .filter(option -> distance(name, option) <= 2)
                        .min(Comparator.comparingInt(option -> distance(name, option))));
            }
        }
        return unknown;
    }

    /** The edit distance of {@code a} and {@code b}: letters inserted, deleted, replaced or swapped with the next. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int replace = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(replace, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
