package io.thumbnail.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/** This JVM's collections and their pause time so far, over every collector (G1: young and mixed; full). */
record GcPauses(long count, long millis, long at) {
    static GcPauses take() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new GcPauses(count, millis, System.nanoTime());
    }

    /** {@code 12 pauses, 31 ms (0.3 % of the time)} since {@code before}. */
    String since(GcPauses before) {
        double wallMillis = (at - before.at) / 1e6;
        long paused = millis - before.millis;
        return String.format(Locale.ROOT, "%d pauses, %d ms (%.2f %% of the time)", count - before.count, paused,
                wallMillis > 0 ? paused / wallMillis * 100 : 0);
    }
}
