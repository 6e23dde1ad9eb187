package io.thumbnail.server;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Lists of hosts as the server's options take them: names or addresses separated by commas. */
final class HostNames {
    /** A host name (perhaps {@code *.} before it for its subdomains), an IPv4 address, or an IPv6 one. */
    private static final Pattern HOST =
            Pattern.compile("(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*|\\[[0-9a-f:.]+]|[0-9a-f.]*:[0-9a-f:.]*");

    private HostNames() {
    }

    /**
     * The hosts in {@code value}, given for {@code option}, lower-cased; {@code *.example.com} stands for the
     * subdomains of example.com. Empty entries are skipped.
     *
     * @throws IllegalArgumentException naming the flag, the hosts allowed and the entry that is not one
     */
    static Set<String> list(ServerOption option, String value) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String host = part.trim().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                continue;
            }
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("--" + option.name() + " takes host names such as example.com or"
                        + " *.example.com, separated by commas (was '" + part.trim() + "')");
            }
            hosts.add(host);
        }
        return Set.copyOf(hosts);
    }
}
