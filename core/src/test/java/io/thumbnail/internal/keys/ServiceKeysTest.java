package io.thumbnail.internal.keys;

import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceKeysTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void a_purpose_key_is_the_hmac_of_its_name_keyed_with_the_stored_secret() {
        try (JobStore store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { })) {
            byte[] key = new ServiceKeys(store, CLOCK).derive("url-signing");
            byte[] secret = store.secret(ServiceKeys.SECRET_NAME, T0);

            assertThat(key).as("the url-signing key").hasSize(32)
                    .isEqualTo(ServiceKeys.hmac(secret, "url-signing".getBytes(StandardCharsets.UTF_8)))
                    .as("never the secret itself").isNotEqualTo(secret);
        }
    }

    @Test
    void each_purpose_gets_a_key_of_its_own() {
        try (JobStore store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { })) {
            ServiceKeys keys = new ServiceKeys(store, CLOCK);

            assertThat(keys.derive("url-signing")).as("the URL key against the webhook key")
                    .isNotEqualTo(keys.derive("webhooks"));
        }
    }

    @Test
    void two_services_on_one_database_derive_the_same_key() {
        Path file = dir.resolve("jobs.db");
        byte[] first;
        try (JobStore store = SqliteJobStore.open(file, T0, job -> { })) {
            first = new ServiceKeys(store, CLOCK).derive("url-signing");
        }
        try (JobStore store = SqliteJobStore.open(file, T0, job -> { })) {
            assertThat(new ServiceKeys(store, CLOCK).derive("url-signing")).as("the key after a restart")
                    .isEqualTo(first);
        }
    }

    @Test
    void a_blank_purpose_is_refused() {
        try (JobStore store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { })) {
            assertThatThrownBy(() -> new ServiceKeys(store, CLOCK).derive(" "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purpose");
        }
    }
}
