package io.thumbnail.internal.source;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges a fetched URL may never reach while the guard is on: everything that is not a public unicast
 * address. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4 and
 * Teredo) are judged by the IPv4 address inside them, so {@code ::ffff:127.0.0.1} is as blocked as {@code 127.0.0.1}.
 */
public final class BlockedRanges {
    private record Range(byte[] prefix, int bits, String name) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0", 8, "unspecified (0.0.0.0/8)"),
            range("10.0.0.0", 8, "private (10.0.0.0/8)"),
            range("100.64.0.0", 10, "shared (100.64.0.0/10)"),
            range("127.0.0.0", 8, "loopback (127.0.0.0/8)"),
            range("169.254.0.0", 16, "link-local (169.254.0.0/16)"),
            range("172.16.0.0", 12, "private (172.16.0.0/12)"),
            range("192.0.0.0", 24, "IETF protocol assignments (192.0.0.0/24)"),
            range("192.168.0.0", 16, "private (192.168.0.0/16)"),
            range("198.18.0.0", 15, "benchmarking (198.18.0.0/15)"),
            range("224.0.0.0", 4, "multicast (224.0.0.0/4)"),
            range("255.255.255.255", 32, "broadcast (255.255.255.255)"),
            range("240.0.0.0", 4, "reserved (240.0.0.0/4)"));

    private static final List<Range> IPV6 = List.of(
            range("::", 128, "unspecified (::)"),
            range("::1", 128, "loopback (::1)"),
            range("64:ff9b:1::", 48, "local-use NAT64 (64:ff9b:1::/48)"),
            range("100::", 64, "discard-only (100::/64)"),
            range("fc00::", 7, "unique-local (fc00::/7)"),
            range("fe80::", 10, "link-local (fe80::/10)"),
            range("fec0::", 10, "site-local (fec0::/10)"),
            range("ff00::", 8, "multicast (ff00::/8)"));

    private static final Range IPV4_MAPPED = range("::ffff:0:0", 96, "IPv4-mapped");
    private static final Range IPV4_TRANSLATED = range("::ffff:0:0:0", 96, "IPv4-translated");
    private static final Range IPV4_COMPATIBLE = range("::", 96, "IPv4-compatible");
    private static final Range NAT64 = range("64:ff9b::", 96, "NAT64");
    private static final Range SIX_TO_FOUR = range("2002::", 16, "6to4");
    private static final Range TEREDO = range("2001::", 32, "Teredo");

    private BlockedRanges() {
    }

    /** Why the address may not be fetched (for example {@code "private (10.0.0.0/8)"}), or empty if it is public. */
    public static Optional<String> reason(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return match(IPV4, bytes);
        }
        if (!(address instanceof Inet6Address)) {
            return Optional.of("not an IP address");
        }
        Optional<String> own = match(IPV6, bytes);
        if (own.isPresent()) {
            return own;
        }
        for (Range form : List.of(IPV4_MAPPED, IPV4_TRANSLATED, IPV4_COMPATIBLE, NAT64)) {
            if (form.contains(bytes)) {
                return embedded(form.name(), slice(bytes, 12));
            }
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return embedded(SIX_TO_FOUR.name(), slice(bytes, 2));
        }
        if (TEREDO.contains(bytes)) {
            // Teredo carries the server's address in clear and the client's with every bit flipped.
            byte[] client = slice(bytes, 12);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            Optional<String> server = embedded("Teredo server", slice(bytes, 4));
            return server.isPresent() ? server : embedded("Teredo client", client);
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(String form, byte[] ipv4) {
        return match(IPV4, ipv4).map(inner -> form + " form of " + inner);
    }

    private static Optional<String> match(List<Range> ranges, byte[] bytes) {
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return Optional.of(range.name());
            }
        }
        return Optional.empty();
    }

    private static byte[] slice(byte[] bytes, int from) {
        byte[] out = new byte[4];
        System.arraycopy(bytes, from, out, 0, 4);
        return out;
    }

    private static Range range(String literal, int bits, String name) {
        try {
            // Literals only: getByAddress-style parsing, never a DNS lookup. Java folds ::ffff:a.b.c.d literals
            // into IPv4, so IPv6 prefixes are built from their 16 bytes explicitly.
            byte[] bytes = literal.contains(":") ? ipv6Bytes(literal) : InetAddress.getByName(literal).getAddress();
            return new Range(bytes, bits, name);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad range literal " + literal, e);
        }
    }

    private static byte[] ipv6Bytes(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        if (parsed instanceof Inet6Address) {
            return parsed.getAddress();
        }
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        System.arraycopy(parsed.getAddress(), 0, bytes, 12, 4);
        return bytes;
    }
}
