package io.thumbnail.internal.publish;

import io.thumbnail.internal.store.PublicationLeases;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publications this node has claimed and is publishing: the leases it renews. A publication is held from its
 * claim until its publisher returned and its outcome was recorded or given up on; one no longer held stops being
 * renewed, so a lease left behind (its outcome could not be written) runs out and any node may take it up again.
 */
final class HeldPublications {
    private final PublicationLeases leases;
    private final Clock clock;
    private final PublishingLease terms;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();

    HeldPublications(PublicationLeases leases, Clock clock, PublishingLease terms) {
        this.leases = leases;
        this.clock = clock;
        this.terms = terms;
    }

    /** Claims job {@code id}'s publication for this node; true if it is now this node's to publish. */
    boolean claim(UUID id) {
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

    /** Renews the leases of the publications held now; returns how many were renewed. */
    int renew() {
        List<UUID> ids = List.copyOf(held);
        return ids.isEmpty() ? 0 : leases.extend(terms.nodeId(), ids, clock.instant(), terms.length());
    }

    /** The pending publications this node may claim now. */
    List<UUID> claimable() {
        return leases.claimable(terms.nodeId(), clock.instant());
    }

    /**
     * Lets go of every lease this node holds in the store: at start, those of its earlier life; at stop, once no
     * publisher runs here any more, those it would otherwise leave to run out. Returns how many.
     */
    int releaseAll() {
        return leases.release(terms.nodeId());
    }
}
