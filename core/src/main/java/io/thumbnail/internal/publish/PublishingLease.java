package io.thumbnail.internal.publish;

import java.time.Duration;
import java.util.Objects;

/**
 * How this node holds the publications it claims.
 *
 * <p>The invariant: a publication is published only by the node whose claim of it succeeded, while its lease has not
 * run out. The publishing node renews the lease every {@code renewEvery} for as long as its publisher runs, so the
 * lease covers a publisher's longest attempt whatever bounds it (Imgur's: up to {@code maxAttempts} requests of up to
 * {@code requestTimeout} each, with waits of up to {@code maxWait} between them, minutes in all; a plug-in publisher's,
 * unknown here). It runs out only when the node stopped renewing for {@code length}: it died, hung, or lost the
 * database that long; then another node publishes the thumbnail again, as after any crash.
 *
 * @param nodeId     the id the node holds its leases under, as for its jobs
 * @param length     how long a claim or a renewal holds, the service's job lease
 * @param renewEvery how often the leases held are renewed, the service's heartbeat; shorter than {@code length}
 */
public record PublishingLease(String nodeId, Duration length, Duration renewEvery) {
    public PublishingLease {
        Objects.requireNonNull(nodeId, "nodeId");
        if (length == null || renewEvery == null || renewEvery.isNegative() || renewEvery.isZero()
                || renewEvery.compareTo(length) >= 0) {
            throw new IllegalArgumentException("a publication's lease must be renewed more often than it lasts"
                    + " (renewEvery " + renewEvery + ", length " + length + ")");
        }
    }
}
