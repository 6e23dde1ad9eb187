package io.thumbnail.internal.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4LiteralTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "2130706433, 127.0.0.1",
            "0177.0.0.1, 127.0.0.1",
            "0x7f.0.0.1, 127.0.0.1",
            "0X7F.0.0.1, 127.0.0.1",
            "0x7f000001, 127.0.0.1",
            "017700000001, 127.0.0.1",
            "127.1, 127.0.0.1",
            "127.0.1, 127.0.0.1",
            "10.0x10000, 10.1.0.0",
            "0, 0.0.0.0",
            "3232235777, 192.168.1.1",
            "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
            "0251.0376.0251.0376, 169.254.169.254",
            "127.0.0.1., 127.0.0.1",
            "010.0.0.1, 8.0.0.1",
    })
    void reads_every_spelling_browsers_accept(String host, String expected) throws Exception {
        assertThat(Ipv4Literal.parse(host)).as("address spelled %s", host).contains(
                (java.net.Inet4Address) InetAddress.getByName(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "images.example", "localhost", "1.2.3.example", "0x7g.example"})
    void leaves_host_names_to_the_resolver(String host) {
        assertThat(Ipv4Literal.parse(host)).as("%s is a name", host).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "1.2.3.256", "4294967296", "0x100.0.0.1", "08.0.0.1",
            "1.2.x.4", "127.0.0.0x100"})
    void refuses_numeric_hosts_that_are_not_valid_addresses(String host) {
        assertThatThrownBy(() -> Ipv4Literal.parse(host)).as("%s", host)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(host);
    }

    @Test
    void reads_leading_zero_parts_as_octal_like_browsers_not_as_java_does() {
        // Java's InetAddress reads 010.0.0.1 as 10.0.0.1; browsers and curl read 8.0.0.1. The fetcher connects to
        // the canonical form of what this class returns, so the check and the connection agree either way.
        assertThat(Ipv4Literal.parse("010.0.0.1")).map(InetAddress::getHostAddress).contains("8.0.0.1");
    }
}
