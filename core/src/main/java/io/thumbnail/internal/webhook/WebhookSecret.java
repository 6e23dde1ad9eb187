package io.thumbnail.internal.webhook;

import io.thumbnail.internal.keys.ServiceKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * The secret webhooks are signed with: the configured one, or else the key {@link ServiceKeys} derives for
 * {@value #PURPOSE} from the service's stored secret, as 64 hex digits. Derived, it is the same on every node sharing
 * the job store and across restarts, and no other purpose's key (a URL signature's) can stand in for it.
 *
 * <p>A derived secret is written for the operator to {@value #FILE_NAME} in the data directory, readable by its owner
 * only, so receivers can be given it. A configured secret is never written: the file is removed then, so it never
 * shows a secret no longer used.
 */
public final class WebhookSecret {
    private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);
    public static final String FILE_NAME = "webhook-secret";
    /** The purpose the signing key is derived for. */
    public static final String PURPOSE = "webhook";

    private final Path file;
    private final String configured;
    private final ServiceKeys keys;
    private String secret;

    /** @param configured the operator's secret, or null to derive one from {@code keys} */
    public WebhookSecret(Path dataDir, String configured, ServiceKeys keys) {
        this.file = dataDir.resolve(FILE_NAME);
        this.configured = configured;
        this.keys = keys;
    }

    /** The secret; the first call derives it (reading the store) and writes or removes the operator's file. */
    synchronized String value() {
        if (secret == null) {
            secret = configured != null ? configured : HexFormat.of().formatHex(keys.derive(PURPOSE));
            keep(configured == null ? secret : null);
        }
        return secret;
    }

    /** Writes {@code made} (a secret the service derived), or removes the file when null (the secret is configured). */
    private void keep(String made) {
        try {
            if (made == null) {
                Files.deleteIfExists(file);
                return;
            }
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).strip().equals(made)) {
                return;
            }
            Path temp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(temp);
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
            }
            Files.writeString(temp, made + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The secret itself is safe: it is derived again from the store; only the operator's copy is missing.
            log.warn("could not write {}: {}", file, e.toString());
        }
    }
}
