package io.thumbnail.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Node ids: the name a node holds its jobs' leases under, shown in {@code /health}, logs and running jobs. Letters,
 * digits, {@code .}, {@code _} and {@code -}, so it needs no quoting wherever it is shown.
 */
public final class NodeIds {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");
    /** Room left for the random suffix. */
    private static final int HOST_LENGTH = MAX_LENGTH - 7;

    private NodeIds() {
    }

    /**
     * The host's name and a random suffix ({@code web-3-7f2c1a}), so that a node started again, or a second one on
     * the same host, has an id of its own. The host name is read without asking DNS: {@code /proc} on Linux, the
     * usual environment variables elsewhere, else {@code node}.
     */
    public static String generate() {
        return hostName() + "-" + String.format(Locale.ROOT, "%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** {@code value} if it is a valid node id; else an {@link IllegalArgumentException} saying what is allowed. */
    public static String check(String value) {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("nodeId must be 1 to " + MAX_LENGTH + " letters, digits, '.', '_' or"
                    + " '-' (was '" + value + "')");
        }
        return value;
    }

    static String hostName() {
        String name = null;
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                name = Files.readString(proc, StandardCharsets.US_ASCII).trim();
            }
        } catch (IOException e) {
            // the environment may know
        }
        if (name == null || name.isEmpty()) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isEmpty()) {
            name = System.getenv("COMPUTERNAME");
        }
        String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "-");
        if (cleaned.isEmpty()) {
            return "node";
        }
        return cleaned.substring(0, Math.min(HOST_LENGTH, cleaned.length()));
    }
}
