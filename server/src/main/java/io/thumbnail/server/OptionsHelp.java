package io.thumbnail.server;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code --help} text: the whole of {@link ServerOptions}, each option with its environment variable, its
 * default, the values it allows and what it does; the same table README shows, in plain text.
 */
final class OptionsHelp {
    private static final int WIDTH = 100;
    private static final String INDENT = "      ";
    /** A Markdown link; in a terminal its target says more than its text. */
    private static final Pattern LINK = Pattern.compile("\\[([^]]*)]\\(([^)]*)\\)");

    private OptionsHelp() {
    }

    static String text(List<ServerOption> options) {
        StringBuilder out = new StringBuilder()
                .append("Usage: java -jar thumbnail-server.jar [OPTIONS]\n")
                .append("       java -jar thumbnail-server.jar thumbnail --help   (the batch command line)\n")
                .append("       java -jar thumbnail-server.jar --version\n\n");
        wrap(out, "", "Each option is also read from the environment variable shown beside it; a flag wins over its"
                + " variable. A bad value stops the start with a message naming the flag.");
        out.append('\n');
        for (ServerOption option : options) {
            out.append(String.format(Locale.ROOT, "  %-31s %s\n", "--" + option.name(), option.env()));
            wrap(out, INDENT, plain(option.help()));
            wrap(out, INDENT, "default: " + plain(option.documentedDefault()) + "; allowed: "
                    + plain(option.allowed()));
        }
        out.append("  --help, -h\n");
        wrap(out, INDENT, ServerOptions.HELP);
        return out.toString();
    }

    /** Markdown as a terminal shows it: code without its backticks, a link as its target. */
    static String plain(String markdown) {
        return LINK.matcher(markdown).replaceAll("$2").replace("`", "");
    }

    /** {@code text} in lines of at most {@value #WIDTH} characters, each starting with {@code indent}. */
    private static void wrap(StringBuilder out, String indent, String text) {
        int lineStart = out.length();
        out.append(indent);
        boolean first = true;
        for (String word : text.split(" ")) {
            if (!first && out.length() - lineStart + 1 + word.length() > WIDTH) {
                out.append('\n');
                lineStart = out.length();
                out.append(indent);
                first = true;
            }
            if (!first) {
                out.append(' ');
            }
            out.append(word);
            first = false;
        }
        out.append('\n');
    }
}
