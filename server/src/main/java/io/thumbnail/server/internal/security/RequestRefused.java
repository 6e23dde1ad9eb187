package io.thumbnail.server.internal.security;

import java.util.Map;

/**
 * A request the server itself refuses, with an error code of its own (not one of core's): {@code unauthorized},
 * {@code rate_limited}, {@code too_large} for too many parts. Carries the headers the response needs.
 */
public final class RequestRefused extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public RequestRefused(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public RequestRefused(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
