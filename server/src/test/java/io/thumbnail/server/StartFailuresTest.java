package io.thumbnail.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failed start says, from the failures Javalin reports (it words them all "port already in use"). Built from
 * the exceptions themselves: resolving a name that does not resolve would ask the machine's name server.
 */
class StartFailuresTest {
    private static final String JAVALIN = "Port already in use. Make sure no other process is using port 0 and try"
            + " again.";

    private static ServerConfig host(String host) {
        return ServerConfig.parse(List.of("--host", host, "--port", "0"), Map.of());
    }

    @Test
    void a_host_name_without_an_address_is_named_as_not_resolving() {
        RuntimeException failure = new RuntimeException(JAVALIN,
                new IOException("Failed to bind to no.such.host.invalid:0", new UnresolvedAddressException()));

        assertThat(StartFailures.listen(host("no.such.host.invalid"), failure)).as("the start failure's line")
                .startsWith("the host name no.such.host.invalid could not be resolved; --host takes ")
                .doesNotContain("in use");
    }

    @Test
    void a_port_in_use_is_named_as_such() {
        RuntimeException failure = new RuntimeException(JAVALIN,
                new IOException("Failed to bind", new BindException("Address already in use")));

        assertThat(StartFailures.listen(host("127.0.0.1"), failure)).as("the start failure's line")
                .isEqualTo("port 0 is in use by another process");
    }

    @Test
    void a_low_port_without_privileges_says_which_ports_need_them() {
        RuntimeException failure = new RuntimeException(JAVALIN,
                new IOException("Failed to bind", new BindException("Permission denied")));

        assertThat(StartFailures.listen(host("127.0.0.1"), failure)).as("the start failure's line")
                .startsWith("permission denied (ports below 1024 need privileges");
    }
}
