package io.thumbnail.server.internal.security;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps the requests one client may have waiting at once ({@code wait=N} long-polls and batch event streams). None
 * holds a thread while it waits, but each holds a connection and a listener on the service's job events, so one
 * client within its rate limit could otherwise open them without end. A closing service ends the waits itself.
 *
 * <p>A client that gave up on a long-poll (its own timeout shorter than {@code wait=N}, a reloaded page) holds no
 * connection any more, but HTTP/1.1 gives no sign of that until the answer is written; counting it until its wait ran
 * out would lock the client out for that long. So a long-poll may be {@linkplain #enter(String, Runnable) ended
 * early}: a client asking for one wait more than it may have gets it, and its oldest long-poll is answered at once
 * with things as they stand (a live client asks again; a gone one frees its place as the answer fails). Event
 * streams are not ended that way; their keep-alive finds a gone client within its interval.
 */
public final class WaitLimit {
    private final int max;
    private final Map<String, Deque<Place>> waiting = new HashMap<>();

    public WaitLimit(int maxPerClient) {
        if (maxPerClient < 1) {
            throw new IllegalArgumentException("maxPerClient must be at least 1 (was " + maxPerClient + ")");
        }
        this.max = maxPerClient;
    }

    /** A waiting request's place; closing it (once or more) frees it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A place for one waiting request that cannot be ended early; see {@link #enter(String, Runnable)}. */
    public Slot enter(String client) {
        return enter(client, null);
    }

    /**
     * A place for one waiting request of {@code client}. When it has none left, its oldest wait that can be ended
     * early is ({@code endEarly} runs, on this thread, and its answer frees that place) and this one takes a place
     * meanwhile; with none to end, refused with 429.
     *
     * @param endEarly answers this wait now, as it stands; null when it cannot be
     */
    public Slot enter(String client, Runnable endEarly) {
        Place place = new Place(client, endEarly);
        Place ending = null;
        synchronized (waiting) {
            Deque<Place> places = waiting.computeIfAbsent(client, c -> new ArrayDeque<>());
            if (places.size() >= max) {
                ending = oldestToEnd(places);
                // Places being ended still count until answered: at most twice the cap, whatever a client does.
                if (ending == null || places.size() >= 2 * max) {
                    throw new RequestRefused(429, "rate_limited", "at most " + max + " requests may wait at once"
                            + " (wait=N or event streams); try again when one has finished", Map.of("Retry-After", "1"));
                }
                ending.ending = true;
            }
            places.addLast(place);
        }
        if (ending != null) {
            ending.endEarly.run();
        }
        return place;
    }

    private static Place oldestToEnd(Deque<Place> places) {
        for (Place p : places) {
            if (p.endEarly != null && !p.ending) {
                return p;
            }
        }
        return null;
    }

    /** Requests of {@code client} waiting now. */
    int waiting(String client) {
        synchronized (waiting) {
            Deque<Place> places = waiting.get(client);
            return places == null ? 0 : places.size();
        }
    }

    private final class Place implements Slot {
        private final String client;
        private final Runnable endEarly;
        /** Guarded by {@code waiting}. */
        private boolean ending;
        private boolean closed;

        Place(String client, Runnable endEarly) {
            this.client = client;
            this.endEarly = endEarly;
        }

        @Override
        public void close() {
            synchronized (waiting) {
                if (closed) {
                    return;
                }
                closed = true;
                Deque<Place> places = waiting.get(client);
                if (places != null) {
                    places.remove(this);
                    if (places.isEmpty()) {
                        waiting.remove(client);
                    }
                }
            }
        }
    }
}
