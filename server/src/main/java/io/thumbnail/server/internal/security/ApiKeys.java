package io.thumbnail.server.internal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys the server accepts, stored only as SHA-256 hashes: {@code name:hex-sha256-of-key} entries, one a line
 * in a keys file (blank lines and {@code #} comments allowed) or separated by commas or newlines in
 * {@code THUMBNAIL_API_KEYS}. A key's name becomes the owner of the jobs it submits.
 */
public final class ApiKeys {
    private static final HexFormat HEX = HexFormat.of();

    private record Entry(String name, byte[] sha256) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /**
     * Reads entries one per line; {@code source} names where they came from in error messages.
     *
     * @throws IllegalArgumentException naming the source and line of a bad or duplicate entry
     */
    public static ApiKeys parse(String text, String source) {
        return none().plus(text.split("\r?\n", -1), source, "line");
    }

    /** As {@link #parse}, entries separated by commas or newlines (the environment variable's form). */
    public static ApiKeys parseList(String text, String source) {
        return none().plus(text.split("[,\r\n]", -1), source, "entry");
    }

    /** These keys and those of {@code other}; names must stay unique. */
    public ApiKeys and(ApiKeys other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        checkUnique(all, "API keys");
        return new ApiKeys(all);
    }

    /** @param unit what a numbered piece is called in messages: line or entry */
    private ApiKeys plus(String[] lines, String source, String unit) {
        List<Entry> read = new ArrayList<>(entries);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            read.add(entry(line, source + " " + unit + " " + (i + 1)));
        }
        checkUnique(read, source);
        return new ApiKeys(read);
    }

    private static Entry entry(String line, String where) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).strip();
        String hash = colon < 0 ? "" : line.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(where + ": expected name:sha256-hex, where the name is 1-64 letters,"
                    + " digits, '.', '_' or '-'");
        }
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(where + ": the hash of key '" + name + "' must be 64 hex digits"
                    + " (the SHA-256 of the key, e.g. from: printf %s \"$KEY\" | sha256sum)");
        }
        return new Entry(name, HEX.parseHex(hash));
    }

    private static void checkUnique(List<Entry> entries, String source) {
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException(source + ": the key name '" + e.name() + "' appears twice");
            }
            if (!hashes.add(HEX.formatHex(e.sha256()))) {
                throw new IllegalArgumentException(source + ": key '" + e.name() + "' has the same hash as another key");
            }
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /**
     * The name of the key whose hash matches the presented key's. Every entry is compared, each in constant time,
     * so how long this takes says nothing about which entry, or how much of one, matched.
     */
    public Optional<String> nameOf(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        String match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.sha256(), presented)) {
                match = e.name();
            }
        }
        return Optional.ofNullable(match);
    }

    /** True when the presented key hashes to {@code expectedSha256}, compared in constant time. */
    public static boolean matches(String presentedKey, byte[] expectedSha256) {
        return MessageDigest.isEqual(expectedSha256, sha256(presentedKey));
    }

    /** Parses a 64-digit hex SHA-256, or fails naming {@code what}. */
    public static byte[] parseHash(String hex, String what) {
        String value = hex.strip().toLowerCase(Locale.ROOT);
        if (!value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(what + " must be the 64 hex digits of a SHA-256 (was '" + hex + "')");
        }
        return HEX.parseHex(value);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
