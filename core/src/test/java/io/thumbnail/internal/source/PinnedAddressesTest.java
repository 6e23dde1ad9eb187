package io.thumbnail.internal.source;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinnedAddressesTest {
    private final PinnedAddresses pins = new PinnedAddresses();

    @Test
    void routes_plain_http_to_the_checked_address() throws Exception {
        InetAddress checked = InetAddress.getByName("93.184.216.34");
        try (PinnedAddresses.Handle pin = pins.pin(checkedUrl("http://images.example:8080/a.png", checked, 8080))) {
            assertThat(pins.select(URI.create("http://images.example:8080/a.png")))
                    .containsExactly(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(checked, 8080)));
        }
    }

    @Test
    void refuses_to_route_a_url_the_guard_never_checked() {
        assertThatThrownBy(() -> pins.select(URI.create("http://unchecked.example/")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unchecked.example");
    }

    @Test
    void forgets_the_pin_when_the_last_fetch_using_it_ends() throws Exception {
        CheckedUrl url = checkedUrl("http://images.example/", InetAddress.getByName("93.184.216.34"), 80);
        PinnedAddresses.Handle first = pins.pin(url);
        PinnedAddresses.Handle second = pins.pin(url);

        first.close();
        assertThat(pins.select(URI.create("http://images.example/"))).as("still held by the second fetch").hasSize(1);
        second.close();
        assertThatThrownBy(() -> pins.select(URI.create("http://images.example/")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sends_https_direct_because_tls_binds_the_connection_to_the_name() {
        assertThat(pins.select(URI.create("https://images.example/"))).containsExactly(Proxy.NO_PROXY);
    }

    private static CheckedUrl checkedUrl(String url, InetAddress address, int port) {
        URI uri = URI.create(url);
        return new CheckedUrl(uri, uri.getHost(), port, address);
    }
}
