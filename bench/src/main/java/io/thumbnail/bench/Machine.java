package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One line saying what a benchmark ran on: CPUs, CPU model, memory, JDK, OS (from /proc where there is one). */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
        String memory = procField("/proc/meminfo", "MemTotal")
                .map(kb -> String.format(Locale.ROOT, "%.1f GB RAM", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1048576.0))
                .orElse("? RAM");
        return String.format(Locale.ROOT, "%d CPUs (%s), %s, Java %s (%s), %s %s",
                Runtime.getRuntime().availableProcessors(), cpu, memory, System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    private static java.util.Optional<String> procField(String file, String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(name)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
