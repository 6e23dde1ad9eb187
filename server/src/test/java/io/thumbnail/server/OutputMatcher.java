package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what a README example shows with what it printed now. Ids and hashes differ from run to run, so each
 * one in the README (and a signed URL's expiry) is matched to the value now (consistently: the same README id must
 * always be the same new id) and later commands have it replaced; times match by shape; byte counts and free space by
 * type, node ids (a host name and a random suffix) too; Date and Content-Length headers by presence. Everything else
 * must be equal.
 */
final class OutputMatcher {
    private static final Pattern TOKEN = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{64}|(?<=expires=)\\d+");
    /** Numbers that differ from run to run like ids, matched and substituted as they are: a signed URL's expiry. */
    private static final Set<String> TOKEN_NUMBERS = Set.of("expires");
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z";
    private static final Set<String> VOLATILE_NUMBERS = Set.of("bytes", "freeBytes");
    private static final Set<String> VOLATILE_TEXTS = Set.of("node");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> tokens = new HashMap<>();

    /** The command with every README id or hash seen so far replaced by its value in this run. */
    String substitute(String command) {
        String result = command;
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            result = result.replace(token.getKey(), token.getValue());
        }
        return result;
    }

    /** Null when {@code actual} matches {@code expected}, else what differs. */
    String mismatch(String expected, String actual) {
        List<String> problems = new ArrayList<>();
        String expectedBody = expected;
        String actualBody = actual;
        if (expected.startsWith("HTTP/")) {
            String[] e = expected.split("\n\n", 2);
            String[] a = actual.split("\n\n", 2);
            compareHead(e[0], a[0], problems);
            expectedBody = e.length > 1 ? e[1] : "";
            actualBody = a.length > 1 ? a[1] : "";
        }
        compareBody(expectedBody.strip(), actualBody.strip(), problems);
        return problems.isEmpty() ? null : String.join("\n", problems);
    }

    private void compareHead(String expected, String actual, List<String> problems) {
        List<String> expectedLines = expected.lines().toList();
        List<String> actualLines = actual.lines().toList();
        String expectedStatus = expectedLines.get(0).split(" ")[1];
        String actualStatus = actualLines.get(0).split(" ")[1];
        if (!expectedStatus.equals(actualStatus)) {
            problems.add("status " + actualStatus + ", README shows " + expectedStatus);
        }
        Map<String, String> actualHeaders = new HashMap<>();
        actualLines.stream().skip(1).map(l -> l.split(":\\s*", 2))
                .forEach(h -> actualHeaders.put(h[0].toLowerCase(Locale.ROOT), h.length > 1 ? h[1] : ""));
        for (String line : expectedLines.subList(1, expectedLines.size())) {
            String[] header = line.split(":\\s*", 2);
            String name = header[0].toLowerCase(Locale.ROOT);
            if (name.equals("date")) {
                continue;
            }
            String value = actualHeaders.get(name);
            if (value == null) {
                problems.add("header " + header[0] + " missing");
            } else if (!name.equals("content-length") && !matchText(header[1], value)) {
                problems.add("header " + header[0] + ": " + value + ", README shows " + header[1]);
            }
        }
    }

    private void compareBody(String expected, String actual, List<String> problems) {
        if (expected.startsWith("{") || expected.startsWith("[")) {
            compareJson("$", parse(expected), parse(actual), problems);
        } else if (expected.startsWith("event:")) {
            String[] e = expected.split("\n\n");
            String[] a = actual.split("\n\n");
            if (e.length != a.length) {
                problems.add(a.length + " events, README shows " + e.length);
                return;
            }
            for (int i = 0; i < e.length; i++) {
                // Field lines (id:, event:) as shown; the data line as JSON.
                List<String> el = e[i].lines().toList();
                List<String> al = a[i].lines().toList();
                if (el.size() != al.size()) {
                    problems.add("event " + i + ": " + al + ", README shows " + el);
                    continue;
                }
                for (int j = 0; j < el.size(); j++) {
                    if (el.get(j).startsWith("data:") && al.get(j).startsWith("data:")) {
                        compareJson("event " + i, parse(el.get(j).substring(5)), parse(al.get(j).substring(5)),
                                problems);
                    } else if (!el.get(j).equals(al.get(j))) {
                        problems.add("event " + i + ": " + al.get(j) + ", README shows " + el.get(j));
                    }
                }
            }
        } else {
            List<String> e = expected.lines().toList();
            List<String> a = actual.lines().toList();
            if (e.size() != a.size()) {
                problems.add(a.size() + " lines, README shows " + e.size() + ":\n" + actual);
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!matchText(e.get(i), a.get(i))) {
                    problems.add("line " + i + ": " + a.get(i) + ", README shows " + e.get(i));
                }
            }
        }
    }

    private void compareJson(String path, JsonNode expected, JsonNode actual, List<String> problems) {
        if (expected.isObject()) {
            Set<String> e = new TreeSet<>();
            Set<String> a = new TreeSet<>();
            expected.fieldNames().forEachRemaining(e::add);
            actual.fieldNames().forEachRemaining(a::add);
            if (!actual.isObject() || !e.equals(a)) {
                problems.add(path + ": fields " + a + ", README shows " + e);
                return;
            }
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (TOKEN_NUMBERS.contains(field) && expected.get(field).isNumber()) {
                    if (!actual.get(field).isNumber() || !matchToken(expected.get(field).asText(),
                            actual.get(field).asText())) {
                        problems.add(path + "." + field + ": " + actual.get(field) + ", README shows "
                                + expected.get(field));
                    }
                } else if (VOLATILE_NUMBERS.contains(field) && expected.get(field).isNumber()) {
                    if (!actual.get(field).isNumber()) {
                        problems.add(path + "." + field + ": " + actual.get(field) + " is not a number");
                    }
                } else if (VOLATILE_TEXTS.contains(field) && expected.get(field).isTextual()) {
                    if (!actual.get(field).isTextual()) {
                        problems.add(path + "." + field + ": " + actual.get(field) + " is not text");
                    }
                } else {
                    compareJson(path + "." + field, expected.get(field), actual.get(field), problems);
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                problems.add(path + ": " + actual.size() + " items, README shows " + expected.size());
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compareJson(path + "[" + i + "]", expected.get(i), actual.get(i), problems);
            }
        } else if (expected.isTextual()) {
            if (!actual.isTextual() || !matchText(expected.asText(), actual.asText())) {
                problems.add(path + ": " + actual + ", README shows " + expected);
            }
        } else if (!expected.equals(actual)) {
            problems.add(path + ": " + actual + ", README shows " + expected);
        }
    }

    /** Whether {@code actual} is what {@code expected} stood for before, or else now stands for. */
    private boolean matchToken(String expected, String actual) {
        return tokens.computeIfAbsent(expected, e -> actual).equals(actual);
    }

    /** Text equality where ids and hashes map consistently and times match by shape. */
    private boolean matchText(String expected, String actual) {
        StringBuilder regex = new StringBuilder();
        List<String> unknown = new ArrayList<>();
        Matcher m = TOKEN.matcher(expected);
        int last = 0;
        while (m.find()) {
            regex.append(quoteWithTimes(expected.substring(last, m.start())));
            String known = tokens.get(m.group());
            if (known != null) {
                regex.append(Pattern.quote(known));
            } else {
                regex.append('(').append(TOKEN.pattern()).append(')');
                unknown.add(m.group());
            }
            last = m.end();
        }
        regex.append(quoteWithTimes(expected.substring(last)));
        Matcher a = Pattern.compile(regex.toString()).matcher(actual);
        if (!a.matches()) {
            return false;
        }
        for (int i = 0; i < unknown.size(); i++) {
            tokens.put(unknown.get(i), a.group(i + 1));
        }
        return true;
    }

    private static String quoteWithTimes(String text) {
        StringBuilder out = new StringBuilder();
        Matcher t = Pattern.compile(TIME).matcher(text);
        int last = 0;
        while (t.find()) {
            out.append(Pattern.quote(text.substring(last, t.start()))).append("(?:").append(TIME).append(')');
            last = t.end();
        }
        return out.append(Pattern.quote(text.substring(last))).toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
