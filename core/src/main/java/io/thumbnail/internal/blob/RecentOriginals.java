package io.thumbnail.internal.blob;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Originals just submitted, kept in memory for the worker that will make their thumbnails, so it need not read back
 * from disk the bytes submit has just written. Only a hand-off: the blob store stays the record, and a miss (after a
 * restart, a retry, or an eviction) simply reads the file.
 *
 * <p>Each {@link #offer} counts one job waiting for the bytes and each {@link #take} one job served; the entry goes
 * when none is left waiting. Entries whose jobs never come (deleted while queued) are evicted oldest first once the
 * entries together exceed the byte budget, which is therefore the most this ever holds.
 */
public final class RecentOriginals {
    /** The default budget: enough for a full burst of typical photos, small beside any sensible heap. */
    public static final long DEFAULT_BUDGET = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);

    private static final class Entry {
        final byte[] bytes;
        int waiting;

        Entry(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final long budget;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long held;

    public RecentOriginals(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes must not be negative (was " + budgetBytes + ")");
        }
        this.budget = budgetBytes;
    }

    /**
     * Keeps {@code bytes} (stored under {@code sha256}) for one more job. The array must not change afterwards: pass
     * a copy of anything the caller may still modify. Bytes larger than the whole budget are not kept.
     */
    public synchronized void offer(String sha256, byte[] bytes) {
        Entry entry = entries.get(sha256);
        if (entry == null) {
            if (bytes.length > budget) {
                return;
            }
            entry = new Entry(bytes);
            entries.put(sha256, entry);
            held += bytes.length;
            evictOver(entry);
        }
        entry.waiting++;
    }

    /**
     * As {@link #offer}, for an array the caller may still change: a copy is kept, and made only when no job waits for
     * these bytes already (the same image submitted at several sizes is copied once, not once per job).
     */
    public void offerCopy(String sha256, byte[] bytes) {
        synchronized (this) {
            Entry entry = entries.get(sha256);
            if (entry != null) {
                entry.waiting++;
                return;
            }
            if (bytes.length > budget) {
                return;
            }
        }
        // Copied outside the lock, which workers taking bytes wait on; an offer made meanwhile simply wins.
        offer(sha256, bytes.clone());
    }

    /** The bytes of {@code sha256} for one job that was offered them, or null if they are not (or no longer) here. */
    public synchronized byte[] take(String sha256) {
        Entry entry = entries.get(sha256);
        if (entry == null) {
            return null;
        }
        if (--entry.waiting <= 0) {
            entries.remove(sha256);
            held -= entry.bytes.length;
        }
        return entry.bytes;
    }

    /** Forgets one offer whose job was not stored after all (a refused submit). */
    public synchronized void withdraw(String sha256) {
        take(sha256);
    }

    /** Bytes held now. */
    public synchronized long heldBytes() {
        return held;
    }

    private void evictOver(Entry keep) {
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (held > budget && oldest.hasNext()) {
            Entry e = oldest.next().getValue();
            if (e != keep) {
                oldest.remove();
                held -= e.bytes.length;
            }
        }
    }
}
