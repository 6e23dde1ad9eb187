package io.thumbnail.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The URL a started server prints for its user to open, whatever address it was told to listen on. */
class ServerAddressTest {
    @Test
    void an_ipv4_address_is_printed_as_given() {
        assertThat(ThumbnailServer.address("127.0.0.1", 8080)).isEqualTo("http://127.0.0.1:8080/");
    }

    @Test
    void every_address_is_printed_as_localhost() {
        assertThat(ThumbnailServer.address("0.0.0.0", 8080)).as("every IPv4 address")
                .isEqualTo("http://localhost:8080/");
        assertThat(ThumbnailServer.address("::", 8080)).as("every IPv6 address").isEqualTo("http://localhost:8080/");
    }

    @Test
    void an_ipv6_address_is_put_in_brackets_once() {
        assertThat(ThumbnailServer.address("::1", 8080)).isEqualTo("http://[::1]:8080/");
        assertThat(ThumbnailServer.address("[::1]", 8080)).as("given in brackets").isEqualTo("http://[::1]:8080/");
    }
}
