package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from {@code /proc/PID/stat} (clock ticks, 100 per second on Linux). */
final class ProcCpu {
    private ProcCpu() {
    }

    /**
     * User and system time of {@code pid} in ms, with its waited-for children's when {@code withChildren}; 0 for a
     * process gone meanwhile.
     */
    static long millis(long pid, boolean withChildren) {
        String[] fields = fields(Path.of("/proc", String.valueOf(pid)));
        if (fields == null) {
            return 0;
        }
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks * 10;
    }

    /** The parent's pid of the process whose {@code /proc} folder is {@code proc}, -1 if it is gone. */
    static long parentOf(Path proc) {
        String[] fields = fields(proc);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    /** The fields after the command name (which is in parentheses and may hold spaces): state is [0]. */
    private static String[] fields(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
