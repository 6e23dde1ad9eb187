package io.thumbnail.internal.publish;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The deadline of every publisher running now, by the publication it runs for. Of a publisher's return and its
 * expiry, the first to come decides the publication's outcome: an expired publication is the expiring thread's to
 * record (failed), and whatever its publisher returns later is dropped.
 */
final class PublishDeadlines {
    /** A publisher that overran: the job whose thumbnail it was publishing, its target, and its thread. */
    record Overrun(UUID id, String target, Thread thread) {
    }

    private record Running(String target, Thread thread, Instant deadline) {
    }

    private final Map<UUID, Running> running = new HashMap<>();

    /** The calling thread starts publishing job {@code id}'s thumbnail to {@code target}, to finish by {@code deadline}. */
    synchronized void started(UUID id, String target, Instant deadline) {
        running.put(id, new Running(target, Thread.currentThread(), deadline));
    }

    /** The publisher of job {@code id} returned; false if it had been expired meanwhile. */
    synchronized boolean finished(UUID id) {
        return running.remove(id) != null;
    }

    /**
     * Takes every publication whose deadline is not after {@code now} away from its publisher, interrupts the
     * publisher's thread (one that waits interruptibly stops), and returns them.
     */
    synchronized List<Overrun> expire(Instant now) {
        List<Overrun> overruns = new ArrayList<>();
        for (Iterator<Map.Entry<UUID, Running>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<UUID, Running> e = it.next();
            Running r = e.getValue();
            if (!r.deadline().isAfter(now)) {
                it.remove();
                r.thread().interrupt();
                overruns.add(new Overrun(e.getKey(), r.target(), r.thread()));
            }
        }
        return overruns;
    }
}
