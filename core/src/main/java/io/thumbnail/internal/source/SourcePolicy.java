package io.thumbnail.internal.source;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the {@link SourceGuard} lets through.
 *
 * @param allowPrivateSources lift the address-range checks (for local use: fetch from a LAN or localhost)
 * @param hostAllowlist       when not empty, only these hosts may be fetched: an entry {@code example.com} matches
 *                            that host exactly, {@code *.example.com} matches its subdomains; IP literals are written
 *                            in canonical form ({@code 203.0.113.7}, {@code 2001:db8::7}). The range checks still apply
 *                            to allowlisted hosts unless private sources are allowed too.
 */
public record SourcePolicy(boolean allowPrivateSources, Set<String> hostAllowlist) {
    public SourcePolicy {
        if (hostAllowlist == null) {
            throw new IllegalArgumentException("hostAllowlist must not be null (use an empty set for no allowlist)");
        }
        for (String entry : hostAllowlist) {
            if (entry == null || entry.isBlank() || entry.contains("/") || entry.contains("@") || entry.contains(" ")) {
                throw new IllegalArgumentException("entries must be host names such as example.com or "
                        + "*.example.com (was '" + entry + "')");
            }
        }
        hostAllowlist = hostAllowlist.stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The default: the guard on, no allowlist. */
    public static SourcePolicy guarded() {
        return new SourcePolicy(false, Set.of());
    }

    /** True when {@code host} (lower-case, canonical) may be fetched under the allowlist. */
    public boolean allowsHost(String host) {
        if (hostAllowlist.isEmpty() || hostAllowlist.contains(host)) {
            return true;
        }
        for (String entry : hostAllowlist) {
            if (entry.startsWith("*.") && host.endsWith(entry.substring(1))) {
                return true;
            }
        }
        return false;
    }
}
