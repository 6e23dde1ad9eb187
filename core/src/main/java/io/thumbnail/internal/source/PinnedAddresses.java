package io.thumbnail.internal.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes {@link java.net.http.HttpClient} connect to the address the guard checked instead of resolving the host again,
 * which closes the DNS-rebinding gap between check and connect.
 *
 * <p>For plain http the checked address is presented to the client as an HTTP proxy: the client then opens its TCP
 * connection to that address and sends the request in absolute form ({@code GET http://host/path}, {@code Host: host}),
 * which every HTTP/1.1 server must accept (RFC 9112 §3.2.2). This needs neither a restricted {@code Host} header
 * (the {@code jdk.httpclient.allowRestrictedHeaders} system property is JVM-wide and read once) nor a resolver hook
 * (Java 17 has none). For https a proxy would mean a CONNECT tunnel, so https goes direct: the client resolves the name
 * itself, usually from the JVM's DNS cache, and a rebound answer can only lead to a server holding a valid certificate
 * for that very name, which an internal service does not have, so the TLS handshake fails.
 */
public final class PinnedAddresses extends ProxySelector {
    private record Pin(InetSocketAddress address, int holders) {
    }

    private final ConcurrentHashMap<String, Pin> pins = new ConcurrentHashMap<>();

    /** Pins the checked address for the URL's host until the returned handle is closed. */
    public Handle pin(CheckedUrl url) {
        String key = key(url.host(), url.port());
        InetSocketAddress target = new InetSocketAddress(url.address(), url.port());
        // Concurrent fetches of one host may pin different answers; each was checked, so either is safe to use.
        pins.compute(key, (k, old) -> new Pin(target, old == null ? 1 : old.holders() + 1));
        return () -> pins.computeIfPresent(key, (k, old) -> old.holders() <= 1 ? null : new Pin(old.address(), old.holders() - 1));
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return List.of(Proxy.NO_PROXY);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        Pin pin = pins.get(key(uri.getHost(), port));
        if (pin == null) {
            // Only URLs that went through the guard are sent; anything else is a bug and must not reach DNS.
            throw new IllegalStateException("no checked address for " + uri.getHost());
        }
        return List.of(new Proxy(Proxy.Type.HTTP, pin.address()));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // nothing to fall back to: the checked address is the only one allowed
    }

    private static String key(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.toLowerCase(Locale.ROOT) + ":" + port;
    }

    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
