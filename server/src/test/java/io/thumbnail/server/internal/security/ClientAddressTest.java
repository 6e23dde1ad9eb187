package io.thumbnail.server.internal.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    @Test
    void an_ipv4_address_is_itself() {
        assertThat(ClientAddress.of("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void an_ipv6_address_counts_as_its_64_bit_network() {
        assertThat(ClientAddress.of("2001:db8:aa:bb:1:2:3:4")).isEqualTo("2001:db8:aa:bb::/64");
        assertThat(ClientAddress.of("[2001:db8:aa:bb::99]")).as("bracketed, as some servers give it")
                .isEqualTo("2001:db8:aa:bb::/64");
        assertThat(ClientAddress.of("2001:db8:aa:bc::1")).as("the next network is another client")
                .isEqualTo("2001:db8:aa:bc::/64");
    }

    @Test
    void an_ipv4_mapped_ipv6_address_is_the_ipv4_client() {
        assertThat(ClientAddress.of("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void a_zone_or_an_unparseable_address_does_not_fail() {
        assertThat(ClientAddress.of("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(ClientAddress.of("not:an:address:zz")).isEqualTo("not:an:address:zz");
        assertThat(ClientAddress.of(null)).isEqualTo("unknown");
    }
}
