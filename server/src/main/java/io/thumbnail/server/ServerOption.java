package io.thumbnail.server;

import java.time.Duration;
import java.util.Locale;

/**
 * One option of the server, as {@link ServerOptions} declares it: the flag ({@code --name}), the environment variable
 * with the matching name, the default, the values allowed and what it does. The texts are Markdown (code in
 * backticks, links), as README's configuration table shows them; {@code --help} prints them plain.
 *
 * @param name         the flag without its dashes
 * @param defaultValue the value used when neither the flag nor the variable is set, as a user would write it
 * @param shownDefault the default in words when it is computed at start ({@code number of cores}), else null
 * @param allowed      the values allowed
 * @param help         what the option does
 * @param min          the smallest number allowed, for a number
 * @param max          the largest number allowed, for a number
 * @param isSwitch     a flag that takes no value: present means {@code true}
 * @param offAllowed   {@code off} is a value, meaning none (no limit, kept forever)
 * @param repeatable   the flag may be given several times: its values are joined with {@code ;}, the separator its
 *                     environment variable takes between them
 */
record ServerOption(String name, String defaultValue, String shownDefault, String allowed, String help, long min,
                    long max, boolean isSwitch, boolean offAllowed, boolean repeatable) {

    static final String BYTES = "bytes, or with a `K`, `M` or `G` suffix";
    static final String DURATION = "a duration: `30s`, `15m`, `24h`, `7d` or ISO-8601 `PT1H`";

    /** Free text, such as a host name or a file: {@code allowed} says what it must be. */
    static ServerOption text(String name, String defaultValue, String allowed, String help) {
        return new ServerOption(name, defaultValue, null, allowed, help, 0, 0, false, false, false);
    }

    /** A whole number from {@code min} to {@code max}. */
    static ServerOption number(String name, long defaultValue, long min, long max, String help) {
        String allowed = max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "`" + min + "` or more"
                : "`" + min + "` to `" + max + "`";
        return new ServerOption(name, String.valueOf(defaultValue), null, allowed, help, min, max, false, false, false);
    }

    /** A byte count of at least 1, written with a binary suffix where it divides evenly ({@code 50M}). */
    static ServerOption bytes(String name, long defaultValue, String help) {
        return new ServerOption(name, bytes(defaultValue), null, BYTES, help, 1, Long.MAX_VALUE, false, false, false);
    }

    /** A byte count from {@code min} to {@code max}, both written with a binary suffix where it divides evenly. */
    static ServerOption bytes(String name, long defaultValue, long min, long max, String help) {
        return new ServerOption(name, bytes(defaultValue), null, "`" + bytes(min) + "` to `" + bytes(max) + "`: " + BYTES,
                help, min, max, false, false, false);
    }

    /** A positive duration, written in its largest whole unit ({@code 30s}, {@code 5m}). */
    static ServerOption duration(String name, Duration defaultValue, String help) {
        return new ServerOption(name, duration(defaultValue), null, DURATION, help, 0, 0, false, false, false);
    }

    /** A flag that is off unless given ({@code --name}, or {@code --name=true}, or its variable set to true). */
    static ServerOption onOff(String name, String help) {
        return new ServerOption(name, "false", null, "`true` or `false`; the flag alone means `true`", help, 0, 0,
                true, false, false);
    }

    /** This option, also taking {@code off}. */
    ServerOption orOff() {
        return new ServerOption(name, defaultValue, shownDefault, allowed + ", or `off`", help, min, max, isSwitch,
                true, repeatable);
    }

    /** This option, its default computed at start and shown as {@code words}. */
    ServerOption shownAs(String words) {
        return new ServerOption(name, defaultValue, words, allowed, help, min, max, isSwitch, offAllowed,
                repeatable);
    }

    /** This option with {@code allowed} as its allowed values. */
    ServerOption allowing(String text) {
        return new ServerOption(name, defaultValue, shownDefault, text, help, min, max, isSwitch, offAllowed,
                repeatable);
    }

    /** This option, its flag taking several values one at a time ({@code --name a --name b}, variable {@code a;b}). */
    ServerOption repeated() {
        return new ServerOption(name, defaultValue, shownDefault, allowed, help, min, max, isSwitch, offAllowed, true);
    }

    /** {@code THUMBNAIL_} and the name in capitals, dashes as underscores. */
    String env() {
        return "THUMBNAIL_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default as README shows it: in backticks, in words when computed, {@code none} when empty. */
    String documentedDefault() {
        if (shownDefault != null) {
            return shownDefault;
        }
        return defaultValue.isEmpty() ? "none" : "`" + defaultValue + "`";
    }

    /** {@code 52428800} as {@code 50M}: the largest of K, M, G that divides it, else plain bytes. */
    static String bytes(long n) {
        String units = "GMK";
        for (int i = 0; i < units.length(); i++) {
            long unit = 1L << (10 * (units.length() - i));
            if (n % unit == 0) {
                return n / unit + units.substring(i, i + 1);
            }
        }
        return String.valueOf(n);
    }

    /** A duration in its largest whole unit of d, h, m and s; {@code off} for null. */
    static String duration(Duration d) {
        if (d == null) {
            return "off";
        }
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
