package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server's own view of a request's time: its access log says {@code GET /path 200 3ms} (whole milliseconds,
 * handler time), so comparing it with what the client measured separates server work from queueing for a CPU.
 */
final class AccessLogTimes {
    private AccessLogTimes() {
    }

    /** Handler times, in nanoseconds for {@link Latencies}, of every logged {@code GET path} answered 200. */
    static Latencies of(Path log, String path) throws IOException {
        Pattern line = Pattern.compile(" GET " + Pattern.quote(path) + " 200 (\\d+)ms$");
        Latencies times = new Latencies(5_000_000);
        try (Stream<String> lines = Files.lines(log)) {
            lines.forEach(l -> {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    times.record(Long.parseLong(m.group(1)) * 1_000_000);
                }
            });
        }
        return times;
    }
}
