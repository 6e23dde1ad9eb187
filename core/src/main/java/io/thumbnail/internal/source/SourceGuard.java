package io.thumbnail.internal.source;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decides whether a URL may be fetched, before any connection is made (server-side request forgery guard).
 *
 * <p>It refuses schemes other than http and https, user-info ({@code http://user@host/}), hosts that are not in the
 * {@link SourcePolicy#hostAllowlist() allowlist} when one is set, and — unless private sources are allowed — any URL
 * whose host is or resolves to an address in {@link BlockedRanges}. A host name is resolved once; if any of its
 * addresses is blocked the URL is refused, otherwise the first address is returned for the fetcher to connect to.
 * Numeric hosts in every spelling browsers accept are parsed here ({@link Ipv4Literal}), never handed to DNS.
 */
public final class SourceGuard {
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-f:.]+");

    private final SourcePolicy policy;
    private final HostResolver resolver;
    private final Function<InetAddress, Optional<String>> blockedRanges;

    public SourceGuard(SourcePolicy policy, HostResolver resolver) {
        this(policy, resolver, BlockedRanges::reason);
    }

    /** For tests that must let one loopback address stand in for a public host; production uses {@link BlockedRanges}. */
    SourceGuard(SourcePolicy policy, HostResolver resolver, Function<InetAddress, Optional<String>> blockedRanges) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.blockedRanges = Objects.requireNonNull(blockedRanges, "blockedRanges");
    }

    public SourcePolicy policy() {
        return policy;
    }

    /** Checks a URL given as text; see {@link #check(URI)}. */
    public CheckedUrl check(String url) {
        try {
            return check(new URI(url.trim()));
        } catch (java.net.URISyntaxException e) {
            throw blocked("'" + url + "' is not a valid URL");
        }
    }

    /**
     * Checks a URL and returns it in canonical form with the address to connect to.
     *
     * @throws ThumbnailException {@link ErrorCode#SOURCE_BLOCKED} when the URL is refused; {@link ErrorCode#IO_ERROR}
     *                            (transient) when the host name cannot be resolved
     */
    public CheckedUrl check(URI uri) {
        Screened screened = screen(uri);
        InetAddress address = screened.literal != null ? screened.literal : resolved(screened.host);
        String host = screened.host;
        String scheme = screened.scheme;
        String uriHost = host.contains(":") ? "[" + host + "]" : host;
        boolean defaultPort = screened.port == ("https".equals(scheme) ? 443 : 80);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        // In ASCII, characters beyond it percent-encoded as UTF-8: the HTTP client would send each as a '?'.
        URI canonical = URI.create(URI.create(scheme + "://" + uriHost + (defaultPort ? "" : ":" + screened.port)
                + path + query).toASCIIString());
        return new CheckedUrl(canonical, host, screened.port, address);
    }

    /**
     * The checks of {@link #check(URI)} that need no lookup: the scheme, the host's spelling, user-info, the allowlist,
     * and a numeric host's range. A URL that passes may still be refused once its host name is resolved.
     *
     * @throws ThumbnailException {@link ErrorCode#SOURCE_BLOCKED} when the URL is refused
     */
    public void checkWithoutLookup(URI uri) {
        screen(uri);
    }

    /** A URL past the checks that need no lookup: its scheme, host (a numeric one's address) and port. */
    private record Screened(String scheme, String host, int port, InetAddress literal) {
    }

    private Screened screen(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw blocked("only http and https URLs can be fetched (was '" + uri + "')");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw blocked("the URL '" + uri + "' has no host");
        }
        String authority = uri.getRawAuthority();
        if (authority.contains("@")) {
            throw blocked("URLs with user-info (user:password@) are not fetched");
        }
        Authority parsed = Authority.parse(authority, scheme);
        InetAddress literal = literalAddress(parsed.host);
        String host = literal != null ? literal.getHostAddress() : parsed.host;
        // The allowlist comes first, so a host off the list is not even resolved.
        if (!policy.allowsHost(host)) {
            throw blocked("the host '" + host + "' is not on the source allowlist");
        }
        return new Screened(scheme, host, parsed.port, literal != null ? checked(parsed.host, literal) : null);
    }

    /** Why the guard refuses this address under its policy, or empty if it may be reached. */
    public Optional<String> refusal(InetAddress address) {
        if (policy.allowPrivateSources()) {
            return Optional.empty();
        }
        return blockedRanges.apply(address);
    }

    /** The address a numeric host spells, or null for a host name. */
    private static InetAddress literalAddress(String host) {
        if (host.startsWith("[")) {
            return ipv6(host);
        }
        try {
            return Ipv4Literal.parse(host).orElse(null);
        } catch (IllegalArgumentException e) {
            throw blocked(e.getMessage());
        }
    }

    private InetAddress resolved(String host) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not resolve the host '" + host + "'");
        }
        if (addresses.isEmpty()) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not resolve the host '" + host + "'");
        }
        // Every answer must pass: a name that also points inside would let a retry or a second connection land there.
        for (InetAddress address : addresses) {
            checked(host, address);
        }
        return addresses.get(0);
    }

    private InetAddress checked(String host, InetAddress address) {
        Optional<String> reason = refusal(address);
        if (reason.isPresent()) {
            String where = host.equals(address.getHostAddress()) ? "'" + host + "'"
                    : "'" + host + "' (" + address.getHostAddress() + ")";
            throw blocked(where + " is in a blocked range: " + reason.get()
                    + "; private and internal addresses are not fetched");
        }
        return address;
    }

    private static InetAddress ipv6(String bracketed) {
        if (!bracketed.endsWith("]")) {
            throw blocked("'" + bracketed + "' is not a valid IPv6 address");
        }
        String literal = bracketed.substring(1, bracketed.length() - 1);
        // Zone ids (%eth0) only make sense for link-local addresses, which are refused anyway.
        if (!IPV6_LITERAL.matcher(literal).matches() || !literal.contains(":")) {
            throw blocked("'" + bracketed + "' is not a valid IPv6 address");
        }
        try {
            return InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw blocked("'" + bracketed + "' is not a valid IPv6 address");
        }
    }

    private static ThumbnailException blocked(String message) {
        return new ThumbnailException(ErrorCode.SOURCE_BLOCKED, message);
    }

    /** The host and port of a URL authority; java.net.URI leaves the host null for spellings like {@code 127.1}. */
    private record Authority(String host, int port) {
        static Authority parse(String raw, String scheme) {
            String hostPart = raw;
            String portPart = null;
            if (raw.startsWith("[")) {
                int close = raw.indexOf(']');
                if (close < 0) {
                    throw blocked("'" + raw + "' is not a valid host");
                }
                hostPart = raw.substring(0, close + 1);
                String rest = raw.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw blocked("'" + raw + "' is not a valid host");
                    }
                    portPart = rest.substring(1);
                }
            } else {
                int colon = raw.lastIndexOf(':');
                if (colon >= 0) {
                    hostPart = raw.substring(0, colon);
                    portPart = raw.substring(colon + 1);
                }
            }
            int port = "https".equals(scheme) ? 443 : 80;
            if (portPart != null && !portPart.isEmpty()) {
                if (!portPart.chars().allMatch(Character::isDigit) || portPart.length() > 5
                        || Integer.parseInt(portPart) < 1 || Integer.parseInt(portPart) > 65535) {
                    throw blocked("'" + raw + "' has an invalid port");
                }
                port = Integer.parseInt(portPart);
            }
            String host = hostPart.toLowerCase(Locale.ROOT);
            if (host.startsWith("[")) {
                return new Authority(host, port);
            }
            if (host.contains("%")) {
                throw blocked("percent-encoded host names are not fetched ('" + hostPart + "')");
            }
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw blocked("'" + hostPart + "' is not a valid host name");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw blocked("'" + hostPart + "' is not a valid host name");
            }
            return new Authority(host, port);
        }
    }
}
