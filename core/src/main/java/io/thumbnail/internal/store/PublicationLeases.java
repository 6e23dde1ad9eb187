package io.thumbnail.internal.store;

import io.thumbnail.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Which node publishes a done job's thumbnail ({@link Job#publication()}): the one holding the publication's lease,
 * kept on the job's row until {@link JobStore#recordPublication} records the outcome and lets it go. A node claims a
 * pending publication with one conditional update before it publishes, so of the nodes sharing a store that try at
 * once exactly one publishes. A lease is held by a node id, like a job's; its holder renews it while it publishes, and
 * one whose node died runs out, when any node may claim the publication again. Statements in {@link PublicationRows}.
 * Throws as the store does.
 */
public interface PublicationLeases {

    /**
     * Claims job {@code id}'s publication for {@code nodeId} until {@code lease} from now: true when the job is done,
     * its publication pending, and no other node holds a lease on it that has not run out ({@code nodeId}'s own may
     * be taken again at once: a node restarted under its id).
     */
    boolean claim(UUID id, String nodeId, Instant now, Duration lease);

    /**
     * Extends to {@code lease} from now the leases {@code nodeId} holds on the publications of {@code ids} that are
     * still pending; returns how many. One another node took over after the lease ran out is not among them.
     */
    int extend(String nodeId, Collection<UUID> ids, Instant now, Duration lease);

    /**
     * The done jobs whose publication is pending and that {@code nodeId} may claim now: no other node holds a lease on
     * them that has not run out. In submission order. At a node's start, those a crash or a shutdown cut short; later,
     * those of a node that died, or that another node has asked for but not begun.
     */
    List<UUID> claimable(String nodeId, Instant now);

    /**
     * Lets go of the publication leases {@code nodeId} holds, at a time it publishes nothing: at its start (they
     * belong to its earlier life, which died or stopped) or at its stop, once its publishers have returned. A store
     * only one node can use at a time (SQLite, under the data directory's lock) lets go of every one: whoever held them
     * was this node. Returns how many.
     */
    int release(String nodeId);
}
