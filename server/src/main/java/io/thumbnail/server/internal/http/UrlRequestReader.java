package io.thumbnail.server.internal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.javalin.http.Context;
import io.thumbnail.ImageSource;
import io.thumbnail.Priority;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON request naming images by URL: {@code {"url": "..."}} or {@code {"urls": ["...", ...]}}, optionally
 * with {@code "publish": "imgur"}, {@code "priority": "high"}, {@code "sizes": ["100x100", "1200x"]} and
 * {@code "preset": "card"}. Nothing is fetched here: the URLs become sources a worker fetches later.
 */
public final class UrlRequestReader {
    /** Built at the first URL request, not while the server starts. */
    private static final class Json {
        /**
         * A key given twice ({@code {"url": "a", "url": "b"}}) or anything after the object is refused, not read as
         * the last value or ignored: either would fetch what the client may not have meant.
         */
        static final ObjectReader STRICT = new ObjectMapper().reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static final Set<String> FIELDS = Set.of("url", "urls", "publish", "priority", "sizes", "preset",
            "callback_url");

    private final int maxUrls;

    /**
     * What a URL request asks for.
     *
     * @param options the thumbnail options the body names ({@code sizes} joined by commas, {@code preset}), read as a
     *                multipart upload's form fields are
     */
    public record UrlRequest(List<ImageSource> sources, String publish, Priority priority,
                             Map<String, String> options, URI callbackUrl) {
    }

    public UrlRequestReader(int maxUrls) {
        this.maxUrls = maxUrls;
    }

    /** True when the request carries JSON (the URL form) rather than image bytes. */
    public static boolean isJson(Context ctx) {
        return contentType(ctx).startsWith("application/json");
    }

    /**
     * The request's Content-Type header as sent, in lower case, or empty. Read as a header, not through the servlet
     * API, which parses its charset and throws for a name it does not know ({@code image/jpeg; charset=x}), a 500
     * for what is at most a parameter the upload does not use.
     */
    public static String contentType(Context ctx) {
        String type = ctx.header("Content-Type");
        return type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
    }

    /** The request {@code body} (received whole, at most {@link UploadReader#MAX_JSON_BYTES}) names. */
    public UrlRequest read(byte[] json, Context ctx) {
        JsonNode body = parse(json);
        // A misspelt or misplaced option silently ignored would make a different thumbnail than asked for.
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw RequestParams.invalid("unknown field '" + RequestParams.abbreviated(name) + "' in the JSON body"
                        + " (allowed: url, urls, publish, priority, sizes, preset, callback_url; thumbnail options such"
                        + " as width go in the query string)");
            }
        }
        JsonNode one = body.get("url");
        JsonNode many = body.get("urls");
        if ((one == null) == (many == null)) {
            throw RequestParams.invalid("send either \"url\": \"https://...\" or \"urls\": [\"https://...\", ...]");
        }
        List<ImageSource> sources = new ArrayList<>();
        if (one != null) {
            sources.add(source(one, "url"));
        } else {
            if (!many.isArray() || many.isEmpty()) {
                throw RequestParams.invalid("urls must be a non-empty array of URL strings");
            }
            if (many.size() > maxUrls) {
                throw RequestParams.invalid("urls holds " + many.size() + " URLs; at most " + maxUrls
                        + " are accepted per request");
            }
            for (int i = 0; i < many.size(); i++) {
                sources.add(source(many.get(i), "urls[" + i + "]"));
            }
        }
        JsonNode publish = body.get("publish");
        if (publish != null && !publish.isNull()) {
            RequestParams.refuseTwice(ctx, "publish", "the JSON body");
        }
        if (publish != null && !publish.isNull() && (!publish.isTextual() || publish.asText().isBlank())) {
            throw RequestParams.invalid("publish must be a publish target's name, a string such as \"imgur\"");
        }
        String target = publish == null || publish.isNull() ? RequestParams.publish(ctx) : publish.asText();
        JsonNode priority = body.get("priority");
        if (priority != null && !priority.isNull()) {
            RequestParams.refuseTwice(ctx, "priority", "the JSON body");
        }
        if (priority != null && !priority.isNull() && !priority.isTextual()) {
            throw RequestParams.invalid("priority must be a string: \"high\", \"normal\" or \"low\"");
        }
        Priority rank = priority == null || priority.isNull() ? RequestParams.priority(ctx) : Priority.parse(priority.asText());
        JsonNode callback = body.get("callback_url");
        if (callback != null && !callback.isNull()) {
            RequestParams.refuseTwice(ctx, "callback_url", "the JSON body");
        }
        if (callback != null && !callback.isNull() && !callback.isTextual()) {
            throw RequestParams.invalid("callback_url must be a URL string such as \"https://example.com/hooks\"");
        }
        URI callbackUrl = callback == null || callback.isNull() ? RequestParams.callbackUrl(ctx)
                : RequestParams.callbackUrl(callback.asText());
        return new UrlRequest(sources, target, rank, options(body), callbackUrl);
    }

    /** {@code "sizes": ["100x100", "1200x"]} and {@code "preset": "card"}, as form fields would carry them. */
    private static Map<String, String> options(JsonNode body) {
        Map<String, String> options = new HashMap<>();
        JsonNode sizes = body.get("sizes");
        if (sizes != null && !sizes.isNull()) {
            if (!sizes.isArray() || sizes.isEmpty()) {
                throw RequestParams.invalid("sizes must be a non-empty array of sizes such as [\"100x100\","
                        + " \"1200x\"]");
            }
            List<String> each = new ArrayList<>();
            for (JsonNode size : sizes) {
                if (!size.isTextual() || size.asText().isBlank() || size.asText().contains(",")) {
                    throw RequestParams.invalid("sizes must hold sizes such as \"100x100\" or \"1200x\", one a"
                            + " string (was " + RequestParams.abbreviated(size.toString()) + ")");
                }
                each.add(size.asText());
            }
            options.put("sizes", String.join(",", each));
        }
        JsonNode preset = body.get("preset");
        if (preset != null && !preset.isNull()) {
            if (!preset.isTextual() || preset.asText().isBlank()) {
                throw RequestParams.invalid("preset must be a preset's name, a string such as \"card\"");
            }
            options.put("preset", preset.asText());
        }
        return options;
    }

    private static ImageSource source(JsonNode node, String field) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw RequestParams.invalid(field + " must be a URL string");
        }
        if (node.asText().length() > ImageSource.MAX_URL_CHARS) {
            throw RequestParams.invalid(field + " is " + node.asText().length() + " characters long; a URL may have at"
                    + " most " + ImageSource.MAX_URL_CHARS);
        }
        try {
            return ImageSource.url(new URI(node.asText().trim()));
        } catch (URISyntaxException e) {
            throw RequestParams.invalid(field + " is not a valid URL: " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode body = Json.STRICT.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw RequestParams.invalid("the JSON body must be an object such as {\"url\": \"https://...\"}");
            }
            return body;
        } catch (StreamConstraintsException e) {
            // Its message names the parser's settings, not the request's problem.
            throw RequestParams.invalid("the JSON body is nested or sized past what is taken; an upload's JSON is one"
                    + " object such as {\"url\": \"https://...\"}");
        } catch (IOException e) {
            throw RequestParams.invalid("the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
