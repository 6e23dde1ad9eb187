package io.thumbnail.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the collector's pauses by collector and cause ("Young Generation: G1 Humongous Allocation", "Young
 * Generation: GCLocker Initiated GC", ...), so two runs with different pause counts show why. The JVM reports each
 * collection after the fact, on its own thread, so a snapshot taken right after a run may miss its last pause or two.
 */
final class GcCauses {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static volatile boolean listening;

    private GcCauses() {
    }

    /** Starts counting (once per JVM). */
    static synchronized void listen() {
        if (listening) {
            return;
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                            .equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        String key = info.getGcName().replace("G1 ", "") + ": " + info.getGcCause();
                        COUNTS.computeIfAbsent(key, k -> new LongAdder()).increment();
                    }
                }, null, null);
            }
        }
        listening = true;
    }

    /** Counts so far by cause. */
    static Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        COUNTS.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** {@code Young Generation: G1 Humongous Allocation 12, ...} for the collections since {@code before}. */
    static String since(Map<String, Long> before) {
        StringJoiner out = new StringJoiner(", ");
        snapshot().forEach((cause, count) -> {
            long n = count - before.getOrDefault(cause, 0L);
            if (n > 0) {
                out.add(cause + " " + n);
            }
        });
        return out.length() == 0 ? "none" : out.toString();
    }
}
