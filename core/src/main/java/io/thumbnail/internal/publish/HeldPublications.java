package io.thumbnail.internal.publish;

import io.thumbnail.internal.store.PublicationLeases;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publications this node has claimed and is publishing: the leases it renews. A publication is held from its
 * claim until its publisher returned and its outcome was recorded or given up on; one no longer held stops being
 * renewed, so a lease left behind (its outcome could not be written) runs out and any node may take it up again.
 *
 * <p>One whose outcome could not be written was published, perhaps: publishing it again is only right once its lease
 * has run out, as for a node that died. So this node, which the store lets claim its own leases at once (for a node
 * restarted under its id), keeps off such a publication until then, and lets go of no lease at its stop meanwhile.
 */
final class HeldPublications {
    private final PublicationLeases leases;
    private final Clock clock;
    private final PublishingLease terms;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    /** Publications left to their lease, each with when that lease has run out at the latest. */
    private final Map<UUID, Instant> runningOut = new ConcurrentHashMap<>();

    HeldPublications(PublicationLeases leases, Clock clock, PublishingLease terms) {
        this.leases = leases;
        this.clock = clock;
        this.terms = terms;
    }

    /**
     * Claims job {@code id}'s publication for this node; true if it is now this node's to publish. False, without
     * asking the store, while a lease this node left to run out on it may last.
     */
    boolean claim(UUID id) {
        if (runningOut(id)) {
            return false;
        }
        if (!leases.claim(id, terms.nodeId(), clock.instant(), terms.length())) {
            return false;
        }
        held.add(id);
        return true;
    }

    /** The id this node holds its leases under. */
    String nodeId() {
        return terms.nodeId();
    }

    /** This node is done with job {@code id}'s publication: its lease is no longer renewed. */
    void letGo(UUID id) {
        held.remove(id);
    }

    /**
     * Job {@code id}'s outcome could not be recorded: its lease is no longer renewed, and is left to run out before
     * this node claims the publication again or lets go of any lease.
     */
    void leaveToRunOut(UUID id) {
        held.remove(id);
        // The lease was last renewed before now: it has run out a lease from now, by any clock that keeps time.
        runningOut.put(id, clock.instant().plus(terms.length()));
    }

    /** Whether a lease this node left to run out on job {@code id}'s publication may last still. */
    private boolean runningOut(UUID id) {
        Instant end = runningOut.get(id);
        if (end == null) {
            return false;
        }
        if (clock.instant().isBefore(end)) {
            return true;
        }
        runningOut.remove(id, end);
        return false;
    }

    /** Renews the leases of the publications held now; returns how many were renewed. */
    int renew() {
        List<UUID> ids = List.copyOf(held);
        return ids.isEmpty() ? 0 : leases.extend(terms.nodeId(), ids, clock.instant(), terms.length());
    }

    /** The pending publications this node may claim now. */
    List<UUID> claimable() {
        // Forgets the leases that have run out, looked at again or not: the map holds only those that may last.
        Instant now = clock.instant();
        runningOut.values().removeIf(end -> !now.isBefore(end));
        return leases.claimable(terms.nodeId(), now).stream().filter(id -> !runningOut(id)).toList();
    }

    /** How many leases this node left to run out may last still. */
    int leftToRunOut() {
        return runningOut.size();
    }

    /**
     * Lets go of every lease this node holds in the store: at start, those of its earlier life; at stop, once no
     * publisher runs here any more, those it would otherwise leave to run out. None while a lease left to run out
     * ({@link #leaveToRunOut}) may last: they all run out instead. Returns how many.
     */
    int releaseAll() {
        if (runningOut.keySet().stream().anyMatch(this::runningOut)) {
            return 0;
        }
        return leases.release(terms.nodeId());
    }
}
