package io.thumbnail.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two server jars under {@link LoadBench}'s load, run after one another in pairs, for a change whose effect is smaller
 * than what one run of the same jar varies by on a shared machine (a CPU per job that moves by 5 to 10 % from run to
 * run). The order alternates (A B, B A, A B, ...), so a drift of the machine's speed over the pairs weighs on both
 * sides alike. Prints each run's CPU per job by group of threads and its status GET p99, then for each the two means
 * and the difference of each pair: an effect is one whose differences keep their sign. {@code --against} the same jar
 * gives the noise floor.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.LoadCompare --against OTHER.jar [--pairs 3]
 *     [LoadBench's options, --jar being A]</pre>
 *
 * The bare pipeline is not run (it is the same for both), and each run's status probe takes 1 s unless
 * {@code --status-seconds} says otherwise.
 */
public final class LoadCompare {
    static final String USAGE = """
            usage: java -cp bench/target/bench.jar io.thumbnail.bench.LoadCompare --against B.jar [--pairs N]
                       [LoadBench's options: --jar A.jar, --warmup, --seconds, photos...]
              --against PATH   the server jar compared with --jar's (required; the same jar for the noise floor)
              --pairs N        runs of each, alternating A B, B A, ... (default 3)
            """;

    static final String STATUS_P99 = "status GET p99";

    private LoadCompare() {
    }

    /** One measure's figures (a group's CPU ms per job, say) for each run of A and of B, pair by pair. */
    record Comparison(String group, double[] a, double[] b) {
        /** The least mean of A, in the table's unit, that a difference is also given as a percentage of. */
        static final double SMALLEST_RELATIVE_BASE = 0.5;

        Comparison {
            if (a.length != b.length || a.length == 0) {
                throw new IllegalArgumentException("as many runs of A as of B, at least one (were " + a.length + " and "
                        + b.length + ")");
            }
        }

        double meanA() {
            return Arrays.stream(a).average().orElseThrow();
        }

        double meanB() {
            return Arrays.stream(b).average().orElseThrow();
        }

        /** B less A, pair by pair. */
        double[] differences() {
            double[] d = new double[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = b[i] - a[i];
            }
            return d;
        }

        /**
         * Whether every pair's difference has the same sign (and none is zero): the least an effect shows. One pair
         * cannot show it.
         */
        boolean consistent() {
            double[] d = differences();
            return d.length > 1 && (Arrays.stream(d).allMatch(x -> x > 0) || Arrays.stream(d).allMatch(x -> x < 0));
        }

        String line() {
            StringBuilder pairs = new StringBuilder();
            for (double d : differences()) {
                pairs.append(pairs.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%+.1f", d));
            }
            return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f%s | %s | %s |", group, meanA(),
                    meanB(), meanB() - meanA(), relative(), pairs,
                    a.length < 2 ? "(one pair)" : consistent() ? "yes" : "no");
        }

        /**
         * The difference as a share of A's mean, or nothing when that mean is under {@value #SMALLEST_RELATIVE_BASE}
         * (GC at a few hundredths of a millisecond a job): a percentage of almost nothing says nothing.
         */
        String relative() {
            double base = meanA();
            return Math.abs(base) < SMALLEST_RELATIVE_BASE ? ""
                    : String.format(Locale.ROOT, " (%+.1f %%)", 100 * (meanB() - base) / base);
        }
    }

    /** The comparison table, one row per group of threads and one for the whole server. */
    static String table(List<Comparison> rows, Path a, Path b) {
        StringBuilder out = new StringBuilder();
        out.append("A = ").append(a).append(", B = ").append(b).append(": server CPU ms per job by threads, and the")
                .append(" status GET p99 in ms\n\n");
        out.append("| measure | A | B | B - A | each pair, B - A | same sign in every pair |\n");
        out.append("|---|---|---|---|---|---|\n");
        rows.forEach(row -> out.append(row.line()).append('\n'));
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        Path against = null;
        int pairs = 3;
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--against" -> against = Path.of(value(args, ++i, "--against"));
                    case "--pairs" -> pairs = Integer.parseInt(value(args, ++i, "--pairs"));
                    default -> rest.add(args[i]);
                }
            }
            if (against == null) {
                throw new IllegalArgumentException("--against B.jar is required");
            }
            if (pairs < 1 || pairs > 20) {
                throw new IllegalArgumentException("--pairs must be between 1 and 20 (was " + pairs + ")");
            }
            // The options given come after these defaults, so a --status-seconds given wins.
            List<String> options = new ArrayList<>(List.of("--status-seconds", "1"));
            options.addAll(rest);
            options.add("--no-bare");
            LoadOptions a = LoadOptions.parse(options.toArray(String[]::new));
            run(a, against, pairs);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadCompare: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static void run(LoadOptions a, Path against, int pairs) throws Exception {
        LoadOptions b = new LoadOptions(against, a.clients(), a.seconds(), a.statusSeconds(), a.warmupSeconds(),
                a.maxJobs(), a.workers(), a.xmx(), a.size(), a.statusIntervalMillis(), a.clientNice(),
                a.sharedProbeClient(), a.waitInUpload(), a.raw(), a.synth(), a.large(), false, null, a.serverJvmArgs(),
                a.photos());
        for (Path jar : List.of(a.jar(), b.jar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no server jar at " + jar);
            }
        }
        try (LoadPhotos.Prepared photos = LoadPhotos.prepare(a)) {
            Map<String, double[][]> byGroup = new LinkedHashMap<>();
            for (int pair = 0; pair < pairs; pair++) {
                boolean aFirst = pair % 2 == 0;
                for (boolean isA : aFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    System.out.printf(Locale.ROOT, "%n== pair %d of %d: %s ==%n", pair + 1, pairs, isA ? "A" : "B");
                    LoadBench.Report report = LoadBench.run(isA ? a : b, photos.files());
                    Map<String, Double> cpu = new LinkedHashMap<>(report.serverByThread());
                    cpu.put("all", report.serverCpuMillisPerJob());
                    cpu.put(STATUS_P99, report.probe().latencies().percentileMillis(99));
                    int side = isA ? 0 : 1;
                    int at = pair;
                    cpu.forEach((group, ms) ->
                            byGroup.computeIfAbsent(group, g -> new double[2][pairs])[side][at] = ms);
                }
            }
            List<Comparison> rows = new ArrayList<>();
            byGroup.forEach((group, runs) -> rows.add(new Comparison(group, runs[0], runs[1])));
            System.out.println();
            System.out.print(table(rows, a.jar(), b.jar()));
        }
    }
}
