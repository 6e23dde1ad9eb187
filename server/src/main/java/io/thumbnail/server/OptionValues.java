package io.thumbnail.server;

import io.thumbnail.ThumbnailSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The value of every {@link ServerOption}: its flag's, else its environment variable's, else its default. Each getter
 * checks the value against what the option allows and fails with a message naming the flag, the values allowed and
 * the value given.
 */
final class OptionValues {
    private final Map<String, String> values;
    /** The options whose value came from their environment variable, by the variable's name. */
    private final Map<String, String> fromEnvironment;
    /** The options given a value, by flag or variable, even an empty one. */
    private final Set<String> given;

    private OptionValues(Map<String, String> values, Map<String, String> fromEnvironment, Set<String> given) {
        this.values = values;
        this.fromEnvironment = fromEnvironment;
        this.given = given;
    }

    /**
     * Reads {@code --name value}, {@code --name=value} and, for switches, {@code --name} (or {@code --name true|false})
     * over the environment over the defaults. A separate value that starts with {@code --} is taken for a flag that
     * lost its value ({@code --name=--value} gives such a value).
     *
     * @throws IllegalArgumentException for an unknown flag, or a flag missing its value
     */
    static OptionValues read(List<ServerOption> options, List<String> args, Map<String, String> env) {
        Map<String, ServerOption> byName = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        Map<String, String> fromEnvironment = new HashMap<>();
        for (ServerOption option : options) {
            byName.put(option.name(), option);
            values.put(option.name(), env.getOrDefault(option.env(), option.defaultValue()));
            if (env.containsKey(option.env())) {
                fromEnvironment.put(option.name(), option.env());
            }
        }
        Set<String> set = new HashSet<>(fromEnvironment.keySet());
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            ServerOption option = byName.get(name);
            if (option == null) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (option.isSwitch()) {
                boolean worded = i + 1 < args.size() && args.get(i + 1).matches("(?i)true|false");
                value = worded ? args.get(++i) : "true";
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else if (i + 1 < args.size()) {
                throw new IllegalArgumentException("--" + name + " needs a value, not the option " + args.get(i + 1)
                        + " (--" + name + "=VALUE gives a value that starts with --)");
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            // A repeated flag adds to the values its earlier uses gave (and replaces its variable's, as any flag).
            // Any other given twice is refused: which one was meant is not for the server to guess.
            boolean again = !given.add(name);
            if (again && !option.repeatable()) {
                throw new IllegalArgumentException("--" + name + " is given more than once; give it once");
            }
            values.put(name, again ? values.get(name) + ";" + value : value);
            fromEnvironment.remove(name);
            set.add(name);
        }
        return new OptionValues(values, fromEnvironment, set);
    }

    /**
     * {@code refusal} of a value, naming the environment variable it came from too ({@code --workers
     * (THUMBNAIL_WORKERS) must be ...}): an operator who set no flag would look for one in vain.
     */
    IllegalArgumentException namingTheVariable(IllegalArgumentException refusal) {
        String message = String.valueOf(refusal.getMessage());
        for (Map.Entry<String, String> option : fromEnvironment.entrySet()) {
            String flag = "--" + option.getKey();
            if (message.startsWith(flag) && message.length() > flag.length()
                    && " :".indexOf(message.charAt(flag.length())) >= 0) {
                return new IllegalArgumentException(flag + " (" + option.getValue() + ")"
                        + message.substring(flag.length()), refusal);
            }
        }
        return refusal;
    }

    /** The value as given, trimmed. */
    String raw(ServerOption option) {
        return values.get(option.name()).trim();
    }

    private boolean isOff(ServerOption option) {
        return option.offAllowed() && raw(option).equalsIgnoreCase("off");
    }

    /** A value that must not be empty. */
    String text(ServerOption option) {
        String value = raw(option);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("--" + option.name() + " must not be empty");
        }
        return value;
    }

    /**
     * The value as given, trimmed; refused if it was given empty, or holding nothing but the separators of a list
     * ({@code ,}), for an option whose absence leaves something open: a secret store that failed to fill in a
     * variable (or each entry of one) must not start a server open to anyone.
     *
     * @param unset what leaving the option out means, such as {@code "the API open to anyone"}
     */
    String rawNotGivenEmpty(ServerOption option, String unset) {
        String value = raw(option);
        if (value.replaceAll("[,\\s]", "").isEmpty() && given.contains(option.name())) {
            throw new IllegalArgumentException("--" + option.name() + " is empty; without it " + unset
                    + ", so leave it out for that");
        }
        return value;
    }

    /** Whether the option was given a value, by flag or variable, even an empty one. */
    boolean given(ServerOption option) {
        return given.contains(option.name());
    }

    /** The value, or null when it is empty. */
    String textOrNull(ServerOption option) {
        String value = raw(option);
        return value.isEmpty() ? null : value;
    }

    boolean bool(ServerOption option) {
        String value = raw(option).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("--" + option.name() + " must be true or false (was '"
                + values.get(option.name()) + "')");
    }

    /** A whole number within the option's range; 0 for {@code off}. */
    long number(ServerOption option) {
        if (isOff(option)) {
            return 0;
        }
        String value = raw(option);
        try {
            long n = Long.parseLong(value);
            if (n >= option.min() && n <= option.max()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed range
        }
        throw new IllegalArgumentException("--" + option.name() + " must be a whole number between " + option.min()
                + " and " + option.max() + (option.offAllowed() ? ", or off" : "") + " (was '" + value + "')");
    }

    /** {@link #number} for an option whose range fits an int. */
    int integer(ServerOption option) {
        return Math.toIntExact(number(option));
    }

    /** A byte count: digits with an optional K, M or G suffix (powers of 1024); 0 for {@code off}. */
    long bytes(ServerOption option) {
        return isOff(option) ? 0 : ByteCounts.of(option, raw(option));
    }

    /** A duration: {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, ISO-8601 ({@code PT1H}); null for {@code off}. */
    Duration duration(ServerOption option) {
        return isOff(option) ? null : Durations.of(option, values.get(option.name()));
    }

    /** A rate per second above 0 and up to the option's maximum, fractions allowed; 0 for {@code off}. */
    double rate(ServerOption option) {
        if (isOff(option)) {
            return 0;
        }
        String value = raw(option);
        try {
            double rate = Double.parseDouble(value);
            if (rate > 0 && rate <= option.max()) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option.name() + " must be requests per second above 0 and at most "
                + option.max() + ", such as 50 or 0.5, or off (was '" + value + "')");
    }

    /** A part of {@code whole}: a whole number up to it, or a percentage of it ({@code 25%}), at least 1. */
    int share(ServerOption option, int whole) {
        String value = raw(option);
        try {
            if (value.endsWith("%")) {
                int percent = Integer.parseInt(value.substring(0, value.length() - 1).trim());
                if (percent >= 1 && percent <= 100) {
                    return (int) Math.max(1, (long) whole * percent / 100);
                }
            } else {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= whole) {
                    return n;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option.name() + " must be a whole number from 1 to " + whole
                + " (the queue capacity) or a percentage of it from 1% to 100% (was '" + value + "')");
    }

    /** {@code WxH}: both sides whole pixels, neither over {@code maxSide}. */
    ThumbnailSpec box(ServerOption option, int maxSide) {
        String value = raw(option);
        String[] sides = value.split("[xX]", -1);
        // The default box shrinks to a smaller largest side rather than refuse a flag that was never given.
        int most = value.equals(option.defaultValue()) ? maxSide : Integer.MAX_VALUE;
        try {
            if (sides.length == 2) {
                int width = Math.min(most, Integer.parseInt(sides[0].trim()));
                int height = Math.min(most, Integer.parseInt(sides[1].trim()));
                if (width >= 1 && width <= maxSide && height >= 1 && height <= maxSide) {
                    return ThumbnailSpec.box(width, height);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option.name() + " must be WxH in pixels, such as 100x100, each side"
                + " between 1 and " + maxSide + " (--max-output-side) (was '" + value + "')");
    }

    /** Host names separated by commas, {@code *.example.com} for subdomains; lower-cased. */
    Set<String> hosts(ServerOption option) {
        return HostNames.list(option, rawNotGivenEmpty(option, "URL sources may be on any public host"));
    }

    /** An http(s) URL with a host. */
    URI url(ServerOption option) {
        String value = raw(option);
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option.name() + " must be an http(s) URL such as"
                + " https://api.imgur.com (was '" + value + "')");
    }
}
