package io.thumbnail.internal.store;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * The random secrets a job store keeps in its {@code secrets} table ({@link JobStore#secret}), the same on either
 * database: made once, durably, and the same bytes ever after, on every node.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * The secret named {@code name}, made now if there is none. Nodes asking at once all get the first insert's bytes:
     * the others' inserts do nothing. Durable: a secret handed out (and keys derived from it, signatures made with
     * them) must not change after a loss of power.
     */
    public static byte[] secret(StoreCalls calls, String name, Instant now) {
        byte[] made = new byte[JobStore.SECRET_BYTES];
        RANDOM.nextBytes(made);
        Statements sql = calls.statements();
        return calls.unreported(c -> {
            sql.update(c, "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING", name, made, now);
            return sql.query(c, "SELECT value FROM secrets WHERE name = ?", rs -> rs.next() ? rs.getBytes(1) : null,
                    name);
        }, true);
    }
}
