package io.thumbnail.internal.source;

import java.net.InetAddress;
import java.net.URI;

/**
 * A URL the {@link SourceGuard} has accepted, with the one address it checked. The fetcher connects to that address
 * and nowhere else, so a second DNS answer cannot swap in an internal one.
 *
 * @param uri     the URL in canonical form: lower-case scheme and host, numeric IPv4 hosts in dotted decimal, no fragment
 * @param host    the canonical host as written in {@code uri} (IPv6 without brackets)
 * @param port    the port, the scheme's default when the URL names none
 * @param address the address that was checked
 */
public record CheckedUrl(URI uri, String host, int port, InetAddress address) {
    public boolean isHttps() {
        return "https".equals(uri.getScheme());
    }
}
