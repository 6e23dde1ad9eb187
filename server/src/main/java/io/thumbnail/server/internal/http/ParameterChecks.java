package io.thumbnail.server.internal.http;

import io.javalin.http.Context;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names a request may give its options under, checked before anything is done with it: a misspelt or repeated
 * option silently dropped ({@code widht=320}, {@code width=100&width=200}) would make another thumbnail than was asked
 * for, or list other jobs.
 */
public final class ParameterChecks {
    /** Every option an upload reads from its form fields (or query string), in the order its error lists them. */
    private static final Set<String> UPLOAD_OPTIONS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "width", "height", "sizes", "preset", "fit", "gravity", "focus", "format", "quality", "priority",
            "callback_url", "publish", "wait", "signed", "signed_ttl")));

    private ParameterChecks() {
    }

    /** Refuses a multipart upload's form field that names no option. */
    static void checkUploadForm(Map<String, String> fields) {
        refuseUnknown(fields.keySet(), Set.of(), "form field", "; an image goes in a part with a filename, as"
                + " curl -F file=@photo.jpg sends it");
    }

    /**
     * Refuses an upload whose query string names no option (other than {@code filename}, a raw upload's name), before
     * its body is read: {@code ?widht=320} would otherwise make a thumbnail of the default size.
     */
    public static void checkUploadQuery(Context ctx) {
        refuseUnknown(ctx.queryParamMap().keySet(), Set.of("filename"), "query parameter",
                ", and filename for a raw upload");
        refuseRepeated(ctx);
    }

    /** Refuses a query string that gives a parameter twice ({@code ?width=100&width=200}): one would be dropped. */
    private static void refuseRepeated(Context ctx) {
        ctx.queryParamMap().forEach((name, values) -> {
            if (values.size() > 1) {
                throw RequestParams.invalid("the query parameter '" + RequestParams.abbreviated(name) + "' is given "
                        + values.size() + " times; give each once");
            }
        });
    }

    /**
     * Refuses a request to an endpoint of the JSON API whose query string names a parameter it does not take
     * ({@code ?stauts=failed} would otherwise list every job), naming it and the ones it takes.
     */
    public static void checkQuery(Context ctx, List<String> known) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!known.contains(name)) {
                throw RequestParams.invalid("unknown query parameter '" + RequestParams.abbreviated(name)
                        + "' (this endpoint takes " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
            }
        }
        refuseRepeated(ctx);
    }

    /** Throws {@code invalid_request} for the first of {@code names} that is no upload option, nor in {@code also}. */
    private static void refuseUnknown(Set<String> names, Set<String> also, String kind, String tail) {
        for (String name : names) {
            if (!UPLOAD_OPTIONS.contains(name) && !also.contains(name)) {
                throw RequestParams.invalid("unknown " + kind + " '" + RequestParams.abbreviated(name)
                        + "' (the options are " + String.join(", ", UPLOAD_OPTIONS) + tail + ")");
            }
        }
    }
}
