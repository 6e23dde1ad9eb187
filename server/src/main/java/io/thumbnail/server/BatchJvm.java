package io.thumbnail.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs the batch command line in a JVM started for it. A batch is over in a second or two, most of which a JVM
 * started for a server spends loading classes and compiling its hot loops twice (profiled by C1, then again by C2,
 * whose code a short batch hardly uses). The batch JVM maps the classes from an application class-data archive
 * (made by its first run, kept in the user's cache folder, named for this jar and this JVM, so another of either
 * makes its own), and for a short batch compiles with C1 alone; a long batch keeps both compilers, as C2's code pays
 * off over many photos. The user's own JVM options come after these, so theirs win.
 *
 * <p>Nothing changes when the JVM was not started with {@code -jar}, when its command line cannot be read, when
 * {@value #SAME_JVM} is set, or in the batch JVM itself.
 */
final class BatchJvm {
    /** The environment variable that, set to anything, keeps the batch in the JVM it was started in. */
    static final String SAME_JVM = "THUMBNAIL_BATCH_SAME_JVM";
    /** slf4j-simple's setting for the level of every logger not given one of its own. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** Set in the batch JVM, so it does not start another. */
    static final String CHILD_PROPERTY = "thumbnail.batch.jvm";
    /**
     * Up to this many bytes of input, C1 alone: from about twice this, C2's faster code has paid for its compiling.
     */
    static final long SHORT_BATCH_BYTES = 48L << 20;
    /**
     * Exit codes of a JVM that crashed: SIGABRT (its fatal-error handler), SIGBUS (a mapped file cut short), SIGSEGV.
     */
    private static final int[] CRASHED = {128 + 6, 128 + 7, 128 + 11};
    /**
     * How long a stopped command waits for its batch JVM to end: longer than the batch waits for the thumbnails it
     * is giving their names to.
     */
    private static final long STOPPING_SECONDS = 5;

    /**
     * How the batch JVM is started: its command, and the archive it writes at exit or the archive it maps (at most one
     * of them).
     */
    record Launch(List<String> command, Path dumping, Path archive) {
    }

    private BatchJvm() {
    }

    /**
     * In the batch JVM: ends it (exit 130, as for Ctrl-C) when the JVM that started it ends, whatever ended that one.
     * Its shutdown hook stops this JVM when it is stopped; killed outright, it cannot, and the batch would go on
     * writing with no one waiting for it. The launcher holds the write end of this JVM's standard input, which the
     * kernel closes the moment it dies: end of input is its death, seen at once. (Its process id would not do: a
     * killed launcher stays a zombie, "alive", until its own parent reaps it, which a parent waiting for the
     * batch's output never does.)
     */
    private static void stopWithParent() {
        Thread watch = new Thread(new Runnable() {
            // Not a lambda, as below: the batch JVM starts for one batch, and lambdas are classes to make first.
            @Override
            public void run() {
                try {
                    while (System.in.read() >= 0) {
                        // the launcher writes nothing; only the end matters
                    }
                } catch (IOException e) {
                    // as good as the end: the launcher's pipe is broken
                }
                System.exit(130);
            }
        }, "thumbnail-batch-launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Keeps a run's output to its results and failures: what the library notes as it works (that libwebp loaded, and
     * from where) is for a server's log, so the batch logs warnings and errors only, unless given a level of its own
     * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} before {@code -jar}). Before the first logger is made:
     * slf4j-simple reads its settings once.
     */
    static void logWarningsOnly() {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
    }

    /** Runs the batch in its own JVM and returns its exit code, or empty to run it in this JVM. */
    static OptionalInt run(String[] args) {
        if (System.getProperty(CHILD_PROPERTY) != null) {
            stopWithParent();
            return OptionalInt.empty();
        }
        if (System.getenv(SAME_JVM) != null) {
            return OptionalInt.empty();
        }
        Optional<Path> jar = ownJar();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Optional<List<String>> arguments = ownArguments();
        if (jar.isEmpty() || !Files.isExecutable(java) || arguments.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<List<String>> jvmOptions = jvmOptions(arguments.get());
        if (jvmOptions.isEmpty()) {
            return OptionalInt.empty();
        }
        Launch launch = launch(java.toString(), jvmOptions.get(), jar.get(), List.of(args), inputBytes(args),
                ClassDataArchives.cacheFolder(System.getenv()), System.getProperty("java.vm.version", "unknown"),
                Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")),
                ClassDataArchives.MIN_FREE_FOR_ARCHIVE);
        Process child;
        try {
            // Standard input is a pipe this JVM holds open until the child ends (see stopWithParent); never written.
            child = new ProcessBuilder(launch.command()).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        Thread stopChild = new Thread(new Runnable() {
            // Not a lambda: this JVM lives only to start the batch JVM, and every lambda is classes to make first.
            @Override
            public void run() {
                child.destroy();
                // The batch says how far it got as it ends: that line comes before the command ends, not after the
                // shell's prompt. Bounded, as the batch's own wait for the thumbnails it is publishing is.
                try {
                    child.waitFor(STOPPING_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "thumbnail-batch-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            int exit = child.waitFor();
            if (launch.dumping() != null) {
                ClassDataArchives.keep(launch.dumping());
            } else if (launch.archive() != null && crashed(exit)) {
                // Damaged in a way its length does not show: every later batch would crash on it too.
                ClassDataArchives.discard(launch.archive());
                System.err.println("thumbnail: the batch JVM crashed (exit " + exit + ") with the class-data archive "
                        + launch.archive() + "; deleted it, the next batch writes a new one");
            }
            return OptionalInt.of(exit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return OptionalInt.of(130);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException alreadyStopping) {
                // the hook is running or ran: the child is being stopped
            }
        }
    }

    /**
     * The batch JVM's command line.
     *
     * @param inputBytes    the bytes of every input file together
     * @param cache         the folder archives are kept in, or null for none
     * @param baseArchive   whether the JDK has its default class-data archive, which an application archive extends
     * @param minFreeBytes  the free space the cache's file system needs for an archive to be written there
     */
    static Launch launch(String java, List<String> jvmOptions, Path jar, List<String> args, long inputBytes,
                         Path cache, String vmVersion, boolean baseArchive, long minFreeBytes) {
        List<String> command = new ArrayList<>();
        command.add(java);
        Path archive = null;
        Path dumping = null;
        if (cache != null && baseArchive) {
            String base = ClassDataArchives.baseName(jar, vmVersion);
            // A JVM of another build, or a changed jar, would only warn about the archive and not use it.
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
            archive = ClassDataArchives.whole(cache, base).orElse(null);
            if (archive != null) {
                command.add("-XX:SharedArchiveFile=" + archive);
            } else {
                dumping = ClassDataArchives.dumping(cache, base, ownPid(), minFreeBytes).orElse(null);
                if (dumping != null) {
                    command.add("-XX:ArchiveClassesAtExit=" + dumping);
                }
            }
        }
        if (inputBytes <= SHORT_BATCH_BYTES) {
            command.add("-XX:TieredStopAtLevel=1");
            // The image code's loops run once per row or block: at the usual thresholds each runs interpreted for
            // the first hundred rows of a batch. Quiet first, or the JVM prints the command to the batch's output.
            command.add("-XX:CompileCommand=quiet");
            command.add("-XX:CompileCommand=CompileThresholdScaling,io.thumbnail.internal.image.*::*,0.05");
        }
        command.addAll(jvmOptions);
        // Marks the batch JVM as one (so it starts no other), naming its launcher for anyone reading `ps`.
        command.add("-D" + CHILD_PROPERTY + "=" + ownPid());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return new Launch(List.copyOf(command), dumping, archive);
    }

    /** The options before {@code -jar} in this JVM's arguments, or empty when it was not started with {@code -jar}. */
    static Optional<List<String>> jvmOptions(List<String> arguments) {
        int jar = arguments.indexOf("-jar");
        return jar < 0 ? Optional.empty() : Optional.of(List.copyOf(arguments.subList(0, jar)));
    }

    /**
     * The bytes of the batch's input files, a folder's counting as the files directly in it (as {@link BatchInputs}
     * reads them); the output folder ({@code -o}) is not an input, however many thumbnails it holds already.
     */
    static long inputBytes(String[] args) {
        long total = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-o") || arg.equals("--output")) {
                i++;
                continue;
            }
            try {
                Path path = Path.of(arg);
                if (Files.isRegularFile(path)) {
                    total += Files.size(path);
                } else if (Files.isDirectory(path)) {
                    for (Path file : BatchInputs.filesIn(path)) {
                        // A link to nothing among them has no size, and takes none from the others.
                        total += Files.isRegularFile(file) ? Files.size(file) : 0;
                    }
                }
            } catch (RuntimeException | IOException e) {
                // not a file: an option or its value
            }
        }
        return total;
    }

    /** This JVM's arguments (all but the executable): from {@code /proc} where there is one, else as the JDK tells. */
    private static Optional<List<String>> ownArguments() {
        Path cmdline = Path.of("/proc/self/cmdline");
        if (Files.isReadable(cmdline)) {
            try {
                String all = new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8);
                List<String> parts = List.of(all.split("\0"));
                return parts.size() < 2 ? Optional.empty() : Optional.of(parts.subList(1, parts.size()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return ProcessHandle.current().info().arguments().map(List::of);
    }

    /**
     * This JVM's process id: from {@code /proc} where there is one, as {@link ProcessHandle} starts its reaper thread
     * and makes its first lambdas, work that, once the batch JVM is started, runs alongside that JVM's start instead
     * of before it.
     */
    private static long ownPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().pid();
        }
    }

    private static Optional<Path> ownJar() {
        try {
            Path location = Path.of(BatchJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar")
                    ? Optional.of(location) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static boolean crashed(int exit) {
        for (int code : CRASHED) {
            if (exit == code) {
                return true;
            }
        }
        return false;
    }
}
