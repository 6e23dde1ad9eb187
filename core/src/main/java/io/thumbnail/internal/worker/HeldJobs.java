package io.thumbnail.internal.worker;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs this node has claimed and is still working on: the leases the heartbeat renews. A job is held from its
 * claim until the last hand that works on it (its worker, then the finisher storing its thumbnail) lets go, whether
 * the job's next state was recorded or not: a job whose worker gave up because that write failed (a full disk) is no
 * longer held, so its lease runs out and it is taken back instead of staying processing for good.
 */
final class HeldJobs {
    private final ConcurrentHashMap<UUID, Hold> held = new ConcurrentHashMap<>();

    /** One claim of a job, let go of once by each hand that {@linkplain #share took it}. */
    final class Hold {
        private final UUID id;
        private final AtomicInteger hands = new AtomicInteger(1);

        private Hold(UUID id) {
            this.id = id;
        }

        /** Another hand takes the job (the finisher); it lets go with {@link #release}. */
        Hold share() {
            hands.incrementAndGet();
            return this;
        }

        /** One hand is done with the job; the last one ends the hold. */
        void release() {
            if (hands.decrementAndGet() == 0) {
                held.remove(id, this);
            }
        }
    }

    /** The job {@code id}, just claimed, is held by the calling hand. */
    Hold hold(UUID id) {
        Hold hold = new Hold(id);
        held.put(id, hold);
        return hold;
    }

    /** The job is no longer this node's to work on (it overran its time limit), whoever still has it in hand. */
    void drop(UUID id) {
        held.remove(id);
    }

    /** The jobs held now. */
    List<UUID> ids() {
        return List.copyOf(held.keySet());
    }
}
