package io.thumbnail.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The subset of curl the README uses, run with the JDK's HttpClient (curl itself may not be installed):
 * {@code -s -N -i -I -D - -o FILE -F name=value -F name=@file -H 'Name: value' --data-binary @file|text -X METHOD
 * -w FORMAT}, and an optional {@code | grep -E 'regex'}. Prints what curl would print.
 */
final class CurlCommand {
    private String method;
    private String url;
    private boolean includeHeaders;
    private String outputFile;
    private String writeOut;
    private Pattern grep;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<String[]> formFields = new ArrayList<>();
    private String dataBinary;

    static CurlCommand parse(String commandLine) {
        List<String> words = shellWords(commandLine);
        CurlCommand curl = new CurlCommand();
        int pipe = words.indexOf("|");
        if (pipe >= 0) {
            List<String> filter = words.subList(pipe + 1, words.size());
            if (filter.size() != 3 || !filter.get(0).equals("grep") || !filter.get(1).equals("-E")) {
                throw new IllegalArgumentException("only '| grep -E REGEX' is supported: " + commandLine);
            }
            curl.grep = Pattern.compile(filter.get(2));
            words = words.subList(0, pipe);
        }
        if (!words.get(0).equals("curl")) {
            throw new IllegalArgumentException("not a curl command: " + commandLine);
        }
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "-s", "-N" -> { }
                case "-i" -> curl.includeHeaders = true;
                case "-I" -> {
                    curl.method = "HEAD";
                    curl.includeHeaders = true;
                }
                case "-D" -> {
                    if (!words.get(++i).equals("-")) {
                        throw new IllegalArgumentException("only -D - is supported");
                    }
                    curl.includeHeaders = true;
                }
                case "-o" -> curl.outputFile = words.get(++i);
                case "-w" -> curl.writeOut = words.get(++i);
                case "-X" -> curl.method = words.get(++i);
                case "-H" -> {
                    String[] header = words.get(++i).split(":\\s*", 2);
                    curl.headers.put(header[0], header[1]);
                }
                case "-F" -> curl.formFields.add(words.get(++i).split("=", 2));
                case "--data-binary" -> curl.dataBinary = words.get(++i);
                default -> {
                    if (w.startsWith("-")) {
                        throw new IllegalArgumentException("unsupported curl option " + w);
                    }
                    curl.url = w;
                }
            }
        }
        return curl;
    }

    /** Runs against {@code server} (the README's 127.0.0.1:8080 becomes its port) with files in {@code workDir}. */
    String run(TestServer server, Path workDir) {
        HttpRequest.Builder request = server.request(url.replace("http://127.0.0.1:8080", ""));
        headers.forEach(request::header);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (!formFields.isEmpty()) {
            String boundary = "------------------------curlemulation";
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary);
            body = HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, workDir));
        } else if (dataBinary != null) {
            body = HttpRequest.BodyPublishers.ofByteArray(dataBinary.startsWith("@")
                    ? read(workDir.resolve(dataBinary.substring(1))) : dataBinary.getBytes(StandardCharsets.UTF_8));
        }
        String verb = method != null ? method : (formFields.isEmpty() && dataBinary == null ? "GET" : "POST");
        HttpResponse<byte[]> response = server.send(request.method(verb, body).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return print(response, workDir);
    }

    private String print(HttpResponse<byte[]> response, Path workDir) {
        StringBuilder out = new StringBuilder();
        if (includeHeaders) {
            out.append("HTTP/1.1 ").append(response.statusCode()).append('\n');
            response.headers().map().forEach((name, values) -> values.forEach(v -> out.append(name).append(": ").append(v).append('\n')));
            out.append('\n');
        }
        if (outputFile == null) {
            out.append(new String(response.body(), StandardCharsets.UTF_8));
        } else if (!outputFile.equals("/dev/null")) {
            try {
                Files.write(workDir.resolve(outputFile), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (writeOut != null) {
            out.append(writeOut.replace("%{http_code}", String.valueOf(response.statusCode()))
                    .replace("%{content_type}", response.headers().firstValue("Content-Type").orElse(""))
                    .replace("\\n", "\n"));
        }
        String printed = out.toString();
        if (grep == null) {
            return printed;
        }
        return printed.lines().filter(line -> grep.matcher(line).find()).collect(Collectors.joining("\n", "", "\n"));
    }

    private byte[] multipart(String boundary, Path workDir) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<TestServer.FilePart> files = new ArrayList<>();
        for (String[] field : formFields) {
            if (field[1].startsWith("@")) {
                String name = field[1].substring(1);
                files.add(new TestServer.FilePart(field[0], name, contentType(name), read(workDir.resolve(name))));
            } else {
                fields.put(field[0], field[1]);
            }
        }
        return TestServer.multipart(boundary, fields, files.toArray(TestServer.FilePart[]::new));
    }

    /** curl guesses a part's type from the file extension. */
    private static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") ? "image/png" : n.endsWith(".jpg") || n.endsWith(".jpeg") ? "image/jpeg"
                : "application/octet-stream";
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits like a POSIX shell: whitespace separates, single and double quotes group. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
