package io.thumbnail.server.internal.security;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadAdmissionTest {
    @Test
    void an_address_past_its_uploads_is_refused_429_and_others_are_not() {
        UploadAdmission admission = new UploadAdmission(100, 2, 1 << 20);
        admission.admit("10.0.0.1", null, 10);
        admission.admit("10.0.0.1", null, 10);

        assertThatThrownBy(() -> admission.admit("10.0.0.1", null, 10))
                .isInstanceOfSatisfying(RequestRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.headers()).containsKey("Retry-After");
                });
        assertThat(admission.admit("10.0.0.2", null, 10)).as("another address").isNotNull();
        assertThat(admission.uploads()).as("a refusal takes no place").isEqualTo(3);
    }

    @Test
    void a_key_past_its_uploads_is_refused_from_any_address() {
        UploadAdmission admission = new UploadAdmission(100, 1, 1 << 20);
        admission.admit("10.0.0.1", "alice", 10);

        assertThatThrownBy(() -> admission.admit("10.0.0.2", "alice", 10))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.getMessage()).contains("API key"));
        assertThat(admission.admit("10.0.0.3", "bob", 10)).as("another key").isNotNull();
    }

    @Test
    void the_server_past_its_uploads_or_bytes_is_unavailable() {
        UploadAdmission admission = new UploadAdmission(2, 10, 1000);
        admission.admit("10.0.0.1", null, 400);
        UploadAdmission.Ticket second = admission.admit("10.0.0.2", null, 400);

        assertUnavailable(() -> admission.admit("10.0.0.3", null, 1));
        second.close();
        assertUnavailable(() -> admission.admit("10.0.0.3", null, 700));
        assertThat(admission.bytes()).as("a refusal holds no bytes").isEqualTo(400);
    }

    @Test
    void a_body_of_unknown_length_takes_bytes_as_they_arrive_until_the_budget_is_spent() {
        UploadAdmission admission = new UploadAdmission(10, 10, 1000);
        UploadAdmission.Ticket declared = admission.admit("10.0.0.1", null, 300);
        UploadAdmission.Ticket chunked = admission.admit("10.0.0.2", null, -1);

        declared.received(200);
        chunked.received(600);
        assertThat(admission.bytes()).as("declared bytes count up front, received ones as they come").isEqualTo(900);
        assertUnavailable(() -> chunked.received(800));
        assertThat(admission.bytes()).as("a refused chunk takes nothing").isEqualTo(900);
    }

    @Test
    void closing_a_ticket_twice_gives_back_its_place_and_bytes_once() {
        UploadAdmission admission = new UploadAdmission(10, 1, 1000);
        UploadAdmission.Ticket ticket = admission.admit("10.0.0.1", "alice", 500);
        admission.admit("10.0.0.2", null, 100);

        ticket.close();
        ticket.close();

        assertThat(admission.uploads()).isEqualTo(1);
        assertThat(admission.bytes()).isEqualTo(100);
        assertThat(admission.admit("10.0.0.1", "alice", 10)).as("the address and key may upload again").isNotNull();
    }

    private static void assertUnavailable(Runnable admit) {
        assertThatThrownBy(admit::run).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
