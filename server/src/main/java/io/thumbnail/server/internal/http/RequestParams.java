package io.thumbnail.server.internal.http;

import io.thumbnail.server.internal.security.UrlSigner;
import io.javalin.http.Context;
import io.thumbnail.ErrorCode;
import io.thumbnail.FocalPoint;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.ImageSource;
import io.thumbnail.JobQuery;
import io.thumbnail.JobStatus;
import io.thumbnail.OutputFormat;
import io.thumbnail.Priority;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads request options into core values. Every bad value is a 400 {@code invalid_request} whose message names
 * the option and what it may be; core's own spec validation is reported the same way.
 */
public final class RequestParams {
    /** The longest a request may wait for a job to finish ({@code wait=N}). */
    public static final int MAX_WAIT_SECONDS = 30;
    private static final String FORM = "thumbnail.form";

    private RequestParams() {
    }

    /**
     * The thumbnail spec of each thumbnail asked for: from {@code width, height, fit, format, quality, gravity, focus}
     * form fields or query parameters, one for each of {@code sizes} if given (see {@link Sizes}), over the options of
     * the {@code preset} named (see {@link Presets}). A side over {@code maxSide} is refused here, before the upload is
     * read. A request naming no size gets the preset's, else {@code defaultBox}'s (with its own fit: {@code cover}
     * fills the default box). {@code auto} (the default) becomes {@code auto-webp} when the request's {@code Accept}
     * names {@code image/webp} and WebP can be written here, and {@code webp} is refused when it cannot.
     * {@code gravity} and {@code focus} place a cover crop, and are validated as {@link ThumbnailSpec} validates them:
     * either one, and only with {@code fit=cover} ({@code gravity=center}, the default, goes with any fit).
     */
    public static List<ThumbnailSpec> specs(Context ctx, int maxSide, ThumbnailSpec defaultBox, Presets presets) {
        Presets.Preset preset = presets.find(option(ctx, "preset"));
        String sizes = option(ctx, "sizes");
        Integer width = integer(ctx, "width", 1, maxSide);
        Integer height = integer(ctx, "height", 1, maxSide);
        if (sizes != null && (width != null || height != null)) {
            throw invalid("give either sizes or width and height, not both (sizes '" + sizes + "', "
                    + (width != null ? "width " + width : "height " + height) + ")");
        }
        List<Sizes.Box> boxes;
        if (sizes != null) {
            boxes = Sizes.parse(sizes, maxSide);
        } else if (width != null || height != null) {
            boxes = List.of(new Sizes.Box(width, height));
        } else {
            boxes = List.of(preset != null ? preset.size() : new Sizes.Box(defaultBox.width(), defaultBox.height()));
        }
        Integer quality = integer(ctx, "quality", 1, 100);
        String fit = option(ctx, "fit");
        String format = option(ctx, "format");
        String gravity = option(ctx, "gravity");
        String focus = option(ctx, "focus");
        if (preset != null) {
            quality = quality != null ? quality : preset.quality();
            fit = fit != null ? fit : preset.fit();
            format = format != null ? format : preset.format();
            gravity = gravity != null || focus != null ? gravity : preset.gravity();
        }
        List<ThumbnailSpec> specs = new ArrayList<>(boxes.size());
        for (Sizes.Box box : boxes) {
            try {
                specs.add(new ThumbnailSpec(box.width(), box.height(), fit == null ? Fit.CONTAIN : Fit.parse(fit),
                        outputFormat(format, ctx.header("Accept")), quality, false, ThumbnailSpec.WHITE,
                        gravity == null ? Gravity.CENTER : Gravity.parse(gravity),
                        focus == null ? null : FocalPoint.parse(focus)));
            } catch (ThumbnailException e) {
                throw invalid(sizes == null ? e.getMessage() : "sizes " + box + ": " + e.getMessage());
            }
        }
        return specs;
    }

    /** Whether the request asks for several sizes ({@code sizes}), which makes a batch even of one image. */
    public static boolean hasSizes(Context ctx) {
        return option(ctx, "sizes") != null;
    }

    private static OutputFormat outputFormat(String name, String accept) {
        OutputFormat format = name == null ? OutputFormat.AUTO : OutputFormat.parse(name);
        if (format == OutputFormat.WEBP) {
            Optional<String> noWebp = Thumbnailer.webpUnavailableReason();
            if (noWebp.isPresent()) {
                throw invalid("format webp is unavailable on this server (" + noWebp.get()
                        + "); ask for jpeg, png or auto");
            }
        }
        if (format == OutputFormat.AUTO && AcceptHeader.namesWebp(accept)
                && Thumbnailer.webpUnavailableReason().isEmpty()) {
            return OutputFormat.AUTO_WEBP;
        }
        return format;
    }

    /** {@code wait=N}: how long to wait for the job, zero when absent. */
    public static Duration waitTime(Context ctx) {
        Integer seconds = integer(ctx, "wait", 0, MAX_WAIT_SECONDS);
        return Duration.ofSeconds(seconds == null ? 0 : seconds);
    }

    /** {@code ttl=N}: how many seconds a signed URL works, 1 s to 7 days; 1 h when absent. */
    public static Duration signedUrlTtl(Context ctx) {
        return seconds(ctx, "ttl");
    }

    /**
     * {@code signed=true}: how long the thumbnail URLs in the answer are signed for ({@code signed_ttl=N} seconds,
     * 1 s to 7 days; 1 h when absent); null when the request does not ask for signed URLs.
     */
    public static Duration signedLinks(Context ctx) {
        Duration ttl = seconds(ctx, "signed_ttl");
        String signed = option(ctx, "signed");
        if (signed == null || signed.equals("false")) {
            if (option(ctx, "signed_ttl") != null) {
                throw invalid("signed_ttl sets how long signed URLs work; it needs signed=true");
            }
            return null;
        }
        if (!signed.equals("true")) {
            throw invalid("signed must be true or false (was '" + signed + "')");
        }
        return ttl;
    }

    private static Duration seconds(Context ctx, String name) {
        Integer seconds = integer(ctx, name, 1, (int) UrlSigner.MAX_TTL.toSeconds());
        return seconds == null ? UrlSigner.DEFAULT_TTL : Duration.ofSeconds(seconds);
    }

    /** {@code embed=base64} or nothing. */
    public static boolean embedBase64(Context ctx) {
        String embed = query(ctx, "embed");
        if (embed == null) {
            return false;
        }
        if (!embed.equals("base64")) {
            throw invalid("embed must be base64 (was '" + embed + "')");
        }
        return true;
    }

    /** The listing query from {@code status, limit, cursor}. */
    public static JobQuery jobQuery(Context ctx) {
        JobQuery query = JobQuery.all();
        String status = query(ctx, "status");
        if (status != null) {
            try {
                query = query.withStatus(JobStatus.parse(status));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        Integer limit = integer(ctx, "limit", 1, JobQuery.MAX_LIMIT);
        if (limit != null) {
            query = query.withLimit(limit);
        }
        String published = query(ctx, "published");
        if (published != null) {
            query = query.withPublished(published); // the service knows its publish targets
        }
        return query.withCursor(query(ctx, "cursor"));
    }

    /**
     * {@code publish=imgur} (a form field or query parameter), or null when absent; the service checks that it knows
     * the target.
     */
    public static String publish(Context ctx) {
        String value = option(ctx, "publish");
        if (value != null && value.isBlank()) {
            throw invalid("publish must name a publish target such as imgur (was '" + value + "')");
        }
        return value;
    }

    /** {@code priority=high|normal|low} (a form field or query parameter); normal when absent. */
    public static Priority priority(Context ctx) {
        String value = option(ctx, "priority");
        return value == null ? Priority.NORMAL : Priority.parse(value);
    }

    /**
     * {@code callback_url=https://...} (a form field or query parameter), or null when absent; the service checks it
     * against its SSRF guard.
     */
    public static URI callbackUrl(Context ctx) {
        return callbackUrl(option(ctx, "callback_url"));
    }

    /** {@code value} as a callback URL: absolute http(s), at most {@link ImageSource#MAX_URL_CHARS} characters. */
    static URI callbackUrl(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > ImageSource.MAX_URL_CHARS) {
            throw invalid("callback_url is " + value.length() + " characters long; a URL may have at most "
                    + ImageSource.MAX_URL_CHARS);
        }
        try {
            URI url = new URI(value.trim());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getRawAuthority() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw invalid("callback_url must be an http or https URL such as https://example.com/hooks/thumbnails (was '"
                + (value.length() <= 100 ? value : value.substring(0, 100) + "...") + "')");
    }

    /** A path id; one that is not a UUID cannot name anything, so it is 404 {@code not_found}. */
    public static UUID id(Context ctx, String what) {
        String raw = ctx.pathParam("id");
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ThumbnailException(ErrorCode.NOT_FOUND, "no " + what + " with id '" + raw + "'");
        }
    }

    private static Integer integer(Context ctx, String name, int min, int max) {
        String raw = option(ctx, name);
        if (raw == null) {
            return null;
        }
        String digits = raw.trim();
        try {
            // ASCII digits only: Integer.parseInt also reads other scripts' digits (width=١٠٠).
            int value = digits.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(digits) : min - 1;
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed range
        }
        throw invalid(name + " must be a whole number between " + min + " and " + max + " (was '" + raw + "')");
    }

    /**
     * From now on options are read from {@code fields} (a multipart upload's form fields, once its body has arrived,
     * or a JSON body's options) before the query string, after refusing one the query string gives too: which of the
     * two was meant cannot be known. {@code where}: where the fields came from, as the refusal names it.
     */
    public static void useForm(Context ctx, Map<String, String> fields, String where) {
        fields.keySet().forEach(name -> refuseTwice(ctx, name, where));
        ctx.attribute(FORM, Map.copyOf(fields));
    }

    /** Refuses {@code name}, an option {@code where} gives, when the query string gives it too. */
    public static void refuseTwice(Context ctx, String name, String where) {
        if (!ctx.queryParams(name).isEmpty()) {
            throw invalid("the option '" + abbreviated(name) + "' is given both in " + where + " and in the query"
                    + " string; give it once");
        }
    }

    /**
     * As {@link #useForm}, for a multipart upload's form fields, after refusing any that names no option: a misspelt
     * option silently ignored ({@code widht=320}) would make a different thumbnail than asked for.
     */
    public static void useUploadForm(Context ctx, Map<String, String> fields) {
        ParameterChecks.checkUploadForm(fields);
        useForm(ctx, fields, "the form");
    }

    /** A name or value as an error message quotes it: at most 40 characters of it. */
    static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /**
     * A form field (see {@link #useForm}), else a query parameter; blank counts as absent. Form fields are never read
     * through Javalin, which would read the whole body on the request thread.
     */
    private static String option(Context ctx, String name) {
        Map<String, String> form = ctx.attribute(FORM);
        String value = form == null ? null : form.get(name);
        if (value == null) {
            return query(ctx, name);
        }
        return value.isBlank() ? null : value;
    }

    /** A query parameter; blank counts as absent, as it does for every option (an HTML form sends empty fields). */
    private static String query(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    static ThumbnailException invalid(String message) {
        return new ThumbnailException(ErrorCode.INVALID_REQUEST, message);
    }
}
