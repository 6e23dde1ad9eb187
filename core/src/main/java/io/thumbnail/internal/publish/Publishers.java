package io.thumbnail.internal.publish;

import io.thumbnail.ErrorCode;
import io.thumbnail.Publication;
import io.thumbnail.Publisher;
import io.thumbnail.ThumbnailException;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The publishers a service was built with, by target: the one place a publish target is checked, whether a submit
 * asks for it or a listing filters by it.
 */
public final class Publishers {
    private static final Pattern TARGET = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Map<String, Publisher> byTarget = new TreeMap<>();
    /** Targets known by name though perhaps not configured: the built-in ones and the registered ones. */
    private final TreeSet<String> known = new TreeSet<>(List.of(Publication.IMGUR));

    public Publishers(List<Publisher> publishers) {
        check(publishers);
        for (Publisher publisher : publishers) {
            byTarget.put(publisher.target(), publisher);
            known.add(publisher.target());
        }
    }

    /**
     * Refuses, naming the target, publishers whose target is not a name (lower-case letters, digits and {@code -}) or
     * is another's too.
     */
    public static void check(List<Publisher> publishers) {
        Set<String> seen = new HashSet<>();
        for (Publisher publisher : publishers) {
            String target = publisher.target();
            if (target == null || !TARGET.matcher(target).matches()) {
                throw new IllegalArgumentException("a publisher's target must be lower-case letters, digits and -,"
                        + " at most 32 characters (was '" + target + "')");
            }
            if (!seen.add(target)) {
                throw new IllegalArgumentException("two publishers for the target '" + target + "'");
            }
        }
    }

    /** The publisher of {@code target}, if one is registered. */
    public Optional<Publisher> get(String target) {
        return Optional.ofNullable(byTarget.get(target));
    }

    /**
     * Refuses, with {@code invalid_request}, a target no publisher serves: one the service does not know, or one it
     * knows that is not configured (Imgur without a client id). Null (publish nowhere) passes.
     */
    public void checkPublishTo(String target) {
        if (target == null || byTarget.containsKey(target)) {
            return;
        }
        if (!known.contains(target)) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "publish must be " + String.join(" or ", known)
                    + " (was '" + target + "')");
        }
        throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "publishing to " + target
                + " is not configured on this service" + (Publication.IMGUR.equals(target)
                ? " (it needs an Imgur client id)" : ""));
    }

    /**
     * Refuses, with {@code invalid_request}, a listing filter naming a target the service does not know (a known one
     * that is not configured now may still have published jobs). Null (no filter) passes.
     */
    public void checkFilter(String published) {
        if (published != null && !known.contains(published)) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "published must be " + String.join(" or ", known)
                    + " (was '" + published + "')");
        }
    }
}
