package io.thumbnail.server.internal.http;

import io.javalin.http.Context;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a query string that cannot be decoded: a {@code %} not followed by two hex digits, or escapes that are not
 * UTF-8. Javalin drops such a parameter without a word, so {@code width=%ZZ} would quietly become the default size.
 */
public final class QueryString {
    private QueryString() {
    }

    /** A before-handler: 400 {@code invalid_request} naming the first bad escape. */
    public static void check(Context ctx) {
        String raw = ctx.queryString();
        if (raw != null && raw.indexOf('%') >= 0) {
            check(raw);
        }
    }

    static void check(String raw) {
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.put((byte) (c < 0x80 ? c : '?'));
                continue;
            }
            int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (low < 0) {
                String escape = raw.substring(i, Math.min(raw.length(), i + 3));
                throw RequestParams.invalid("the query string has a malformed escape '" + escape + "' (a % must be"
                        + " followed by two hex digits; write a % itself as %25)");
            }
            bytes.put((byte) (high << 4 | low));
            i += 2;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip());
        } catch (CharacterCodingException e) {
            throw RequestParams.invalid("the query string's escapes are not UTF-8");
        }
    }
}
