package io.thumbnail.server.internal.http;

import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.OutputFormat;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named thumbnail options an operator sets once ({@code --preset card=400x300,cover,webp}) and requests name
 * ({@code preset=card}). A preset's SPEC is a size ({@code WxH}, either side optional) and then, separated by
 * commas, any of a fit ({@code contain}, {@code cover}, {@code fill}), a format ({@code auto}, {@code jpeg},
 * {@code png}, {@code webp}), {@code quality=N} and {@code gravity=NAME}. What a request names itself wins over the
 * preset: its {@code width}/{@code height} or {@code sizes} replace the preset's size, and the preset's other options
 * then apply to each of its sizes.
 */
public final class Presets {
    /** No presets. */
    public static final Presets NONE = new Presets(Map.of());
    private static final String SPEC_HELP = "NAME=SPEC, SPEC being a size WxH (either side optional) then, separated"
            + " by commas, any of contain, cover, fill, auto, jpeg, png, webp, quality=N, gravity=NAME; several"
            + " separated by ';'";

    /**
     * One preset: its name and what it sets; null for what it leaves to the request (and its defaults).
     *
     * @param fit     a fit's name
     * @param format  an output format's name
     * @param gravity a gravity's name
     */
    public record Preset(String name, Sizes.Box size, String fit, String format, Integer quality, String gravity) {
    }

    private final Map<String, Preset> byName;

    private Presets(Map<String, Preset> byName) {
        this.byName = byName;
    }

    /**
     * Presets from {@code NAME=SPEC} entries separated by {@code ;} (the repeated flag's values, or its environment
     * variable's), each checked as a request would be.
     *
     * @throws IllegalArgumentException naming {@code --flag} and the entry, for a bad entry or a name given twice
     */
    public static Presets parse(String entries, int maxSide, String flag) {
        Map<String, Preset> byName = new LinkedHashMap<>();
        for (String entry : entries.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            Preset preset = preset(entry.trim(), maxSide, flag);
            if (byName.putIfAbsent(preset.name(), preset) != null) {
                throw new IllegalArgumentException(flag + " names preset '" + preset.name() + "' twice");
            }
        }
        return byName.isEmpty() ? NONE : new Presets(Map.copyOf(byName));
    }

    private static Preset preset(String entry, int maxSide, String flag) {
        int eq = entry.indexOf('=');
        String name = eq < 0 ? "" : entry.substring(0, eq).trim();
        String[] parts = eq < 0 ? new String[0] : entry.substring(eq + 1).split(",");
        if (!name.matches("[A-Za-z0-9_-]{1,40}") || parts.length == 0) {
            throw bad(flag, entry, "takes " + SPEC_HELP);
        }
        Sizes.Box size = Sizes.parseOne(parts[0].trim(), maxSide);
        if (size == null) {
            throw bad(flag, entry, "must start with a size WxH, either side optional, each side 1 to " + maxSide);
        }
        String fit = null;
        String format = null;
        Integer quality = null;
        String gravity = null;
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i].trim().toLowerCase(Locale.ROOT);
            try {
                if (List.of("contain", "cover", "fill").contains(option)) {
                    fit = Fit.parse(option).id();
                } else if (List.of("auto", "jpeg", "jpg", "png", "webp").contains(option)) {
                    format = OutputFormat.parse(option).id();
                } else if (option.startsWith("quality=")) {
                    quality = quality(option.substring("quality=".length()));
                } else if (option.startsWith("gravity=")) {
                    gravity = Gravity.parse(option.substring("gravity=".length())).id();
                } else {
                    throw bad(flag, entry, "has an unknown option '" + parts[i].trim() + "' (allowed: " + SPEC_HELP
                            + ")");
                }
            } catch (ThumbnailException e) {
                throw bad(flag, entry, e.getMessage());
            }
        }
        Preset preset = new Preset(name, size, fit, format, quality, gravity);
        try {
            // As a request naming it would be checked: cover needs both sides, gravity needs cover.
            new ThumbnailSpec(size.width(), size.height(), fit == null ? null : Fit.parse(fit), null, quality, false,
                    ThumbnailSpec.WHITE, gravity == null ? null : Gravity.parse(gravity), null);
        } catch (ThumbnailException e) {
            throw bad(flag, entry, e.getMessage());
        }
        return preset;
    }

    private static Integer quality(String value) {
        if (value.matches("[0-9]{1,3}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 100) {
            return Integer.valueOf(value);
        }
        throw new ThumbnailException(io.thumbnail.ErrorCode.INVALID_SPEC, "quality must be 1 to 100 (was '" + value
                + "')");
    }

    private static IllegalArgumentException bad(String flag, String entry, String problem) {
        return new IllegalArgumentException(flag + " '" + entry + "' " + problem);
    }

    /**
     * The preset a request names, null for none; 400 {@code invalid_request} naming the known ones for an unknown name.
     */
    public Preset find(String name) {
        if (name == null) {
            return null;
        }
        Preset preset = byName.get(name.trim());
        if (preset == null) {
            throw RequestParams.invalid("preset '" + (name.length() <= 40 ? name : name.substring(0, 40) + "...")
                    + "' is not known here; known presets: " + (byName.isEmpty() ? "none (the server sets them with"
                    + " --preset)" : String.join(", ", byName.keySet().stream().sorted().toList())));
        }
        return preset;
    }

    /** The presets' names, sorted. */
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }
}
