package io.thumbnail.internal.source;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** Decisions on address objects only: nothing here resolves a name or opens a connection. */
class BlockedRangesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0         | unspecified (0.0.0.0/8)",
            "0.255.1.2       | unspecified (0.0.0.0/8)",
            "10.0.0.1        | private (10.0.0.0/8)",
            "10.255.255.255  | private (10.0.0.0/8)",
            "100.64.0.1      | shared (100.64.0.0/10)",
            "100.127.255.254 | shared (100.64.0.0/10)",
            "127.0.0.1       | loopback (127.0.0.0/8)",
            "127.255.0.9     | loopback (127.0.0.0/8)",
            "169.254.169.254 | link-local (169.254.0.0/16)",
            "169.254.0.1     | link-local (169.254.0.0/16)",
            "172.16.0.1      | private (172.16.0.0/12)",
            "172.31.255.255  | private (172.16.0.0/12)",
            "192.0.0.170     | IETF protocol assignments (192.0.0.0/24)",
            "192.168.1.1     | private (192.168.0.0/16)",
            "198.18.0.1      | benchmarking (198.18.0.0/15)",
            "224.0.0.1       | multicast (224.0.0.0/4)",
            "239.255.255.250 | multicast (224.0.0.0/4)",
            "255.255.255.255 | broadcast (255.255.255.255)",
            "240.0.0.1       | reserved (240.0.0.0/4)",
    })
    void blocks_every_non_public_ipv4_range(String address, String reason) throws Exception {
        assertThat(BlockedRanges.reason(ip(address))).as("reason for %s", address).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
            "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
            "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "93.184.216.34"})
    void allows_public_ipv4_addresses_including_neighbours_of_blocked_ranges(String address) throws Exception {
        assertThat(BlockedRanges.reason(ip(address))).as("reason for public %s", address).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "::                 | unspecified (::)",
            "::1                | loopback (::1)",
            "fc00::1            | unique-local (fc00::/7)",
            "fd12:3456:789a::1  | unique-local (fc00::/7)",
            "fe80::1            | link-local (fe80::/10)",
            "febf::1            | link-local (fe80::/10)",
            "fec0::1            | site-local (fec0::/10)",
            "ff02::1            | multicast (ff00::/8)",
            "ff0e::101          | multicast (ff00::/8)",
            "64:ff9b:1::a00:1   | local-use NAT64 (64:ff9b:1::/48)",
            "100::1             | discard-only (100::/64)",
    })
    void blocks_every_non_public_ipv6_range(String address, String reason) throws Exception {
        assertThat(BlockedRanges.reason(ipv6(address))).as("reason for %s", address).contains(reason);
    }

    @ParameterizedTest(name = "{0} carries {1}")
    @CsvSource(delimiter = '|', value = {
            "::ffff:7f00:1           | IPv4-mapped form of loopback (127.0.0.0/8)",
            "::ffff:a9fe:a9fe        | IPv4-mapped form of link-local (169.254.0.0/16)",
            "::ffff:0:a00:1          | IPv4-translated form of private (10.0.0.0/8)",
            "::7f00:1                | IPv4-compatible form of loopback (127.0.0.0/8)",
            "::c0a8:101              | IPv4-compatible form of private (192.168.0.0/16)",
            "64:ff9b::7f00:1         | NAT64 form of loopback (127.0.0.0/8)",
            "64:ff9b::a9fe:a9fe      | NAT64 form of link-local (169.254.0.0/16)",
            "2002:7f00:1::1          | 6to4 form of loopback (127.0.0.0/8)",
            "2002:ac10:1::           | 6to4 form of private (172.16.0.0/12)",
            "2001:0:a00:1::          | Teredo server form of private (10.0.0.0/8)",
            "2001:0:808:808::80ff:fffe | Teredo client form of loopback (127.0.0.0/8)",
    })
    void judges_ipv6_forms_by_the_ipv4_address_they_carry(String address, String reason) throws Exception {
        assertThat(BlockedRanges.reason(ipv6(address))).as("reason for %s", address).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:808:808", "64:ff9b::808:808",
            "2002:808:808::1", "2001:0:808:808::f7f7:f7f7"})
    void allows_public_ipv6_addresses_and_forms_carrying_public_ipv4(String address) throws Exception {
        assertThat(BlockedRanges.reason(ipv6(address))).as("reason for public %s", address).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void java_folds_mapped_literals_into_ipv4_which_is_judged_the_same() throws Exception {
        InetAddress folded = InetAddress.getByName("::ffff:10.1.2.3");

        assertThat(folded.getAddress()).as("Java returns the IPv4 address for a mapped literal").hasSize(4);
        assertThat(BlockedRanges.reason(folded)).contains("private (10.0.0.0/8)");
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // literals only: parsed, never looked up
    }

    /** Keeps the 16-byte form even for ::ffff:a.b.c.d, which InetAddress.getByName would fold into IPv4. */
    private static InetAddress ipv6(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        byte[] bytes = parsed.getAddress();
        if (bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
        assertThat(address).as("%s stays an IPv6 address", literal).isInstanceOf(Inet6Address.class);
        return address;
    }
}
