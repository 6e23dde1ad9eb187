package io.thumbnail.server.internal.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client address that limits count against. An IPv4 address is itself; an IPv6 address counts as its /64
 * network, the block one subscriber is given, so a client cannot escape a limit by moving through the addresses of
 * its own network.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /** {@code remoteAddr} as the servlet API gives it ({@code 203.0.113.9}, {@code 2001:db8::1}, {@code [::1]}). */
    public static String of(String remoteAddr) {
        if (remoteAddr == null || remoteAddr.isBlank()) {
            return "unknown";
        }
        if (remoteAddr.indexOf(':') < 0) {
            return remoteAddr;
        }
        String literal = remoteAddr.replace("[", "").replace("]", "");
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        try {
            // A literal with a colon is parsed, never looked up.
            InetAddress address = InetAddress.getByName(literal);
            if (!(address instanceof Inet6Address)) {
                return address.getHostAddress(); // an IPv4-mapped address is the IPv4 client
            }
            byte[] bytes = address.getAddress();
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString((bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return remoteAddr;
        }
    }
}
