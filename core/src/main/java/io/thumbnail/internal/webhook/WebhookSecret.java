package io.thumbnail.internal.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file that tells the operator the webhook secret the service made ({@code webhook-secret} in the data
 * directory, readable by its owner only), so receivers can be given it. A configured secret is never written: the
 * file is removed then, so it never shows a secret no longer used.
 */
public final class WebhookSecret {
    private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);
    public static final String FILE_NAME = "webhook-secret";

    private final Path file;

    public WebhookSecret(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** Writes {@code made} (a secret the service made), or removes the file when null (the secret is configured). */
    void keep(String made) {
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
            // The secret itself is safe in the store; only the operator's copy is missing.
            log.warn("could not write {}: {}", file, e.toString());
        }
    }
}
