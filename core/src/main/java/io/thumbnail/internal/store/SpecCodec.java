package io.thumbnail.internal.store;

import io.thumbnail.FocalPoint;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.OutputFormat;
import io.thumbnail.ThumbnailSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * A spec as one canonical string ({@code w=100;h=100;fit=contain;format=auto;q=-;upscale=false;bg=ffffff}; {@code -}
 * for a side or quality left to its default). Canonical means equal specs give equal strings, which is what dedupe
 * compares. A cover crop's placement follows only when it is not the default centre ({@code ;gravity=smart} or
 * {@code ;focus=0.3,0.2}), so specs stored before crops could be placed read back, and compare, as they were.
 */
public final class SpecCodec {
    private SpecCodec() {
    }

    public static String encode(ThumbnailSpec spec) {
        return "w=" + optional(spec.width()) + ";h=" + optional(spec.height()) + ";fit=" + spec.fit().id()
                + ";format=" + spec.format().id() + ";q=" + optional(spec.quality()) + ";upscale=" + spec.upscale()
                + ";bg=" + Integer.toHexString(0x1000000 | spec.background()).substring(1)
                + (spec.gravity() == Gravity.CENTER ? "" : ";gravity=" + spec.gravity().id())
                + (spec.focus() == null ? "" : ";focus=" + spec.focus());
    }

    public static ThumbnailSpec decode(String value) {
        Map<String, String> fields = new HashMap<>();
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return new ThumbnailSpec(optional(fields.get("w")), optional(fields.get("h")), Fit.parse(fields.get("fit")),
                OutputFormat.parse(fields.get("format")), optional(fields.get("q")),
                Boolean.parseBoolean(fields.get("upscale")), Integer.parseInt(fields.get("bg"), 16),
                fields.containsKey("gravity") ? Gravity.parse(fields.get("gravity")) : Gravity.CENTER,
                fields.containsKey("focus") ? FocalPoint.parse(fields.get("focus")) : null);
    }

    private static String optional(Integer value) {
        return value == null ? "-" : value.toString();
    }

    private static Integer optional(String value) {
        return value == null || value.equals("-") ? null : Integer.valueOf(value);
    }
}
