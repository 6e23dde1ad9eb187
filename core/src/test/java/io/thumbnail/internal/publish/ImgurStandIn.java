package io.thumbnail.internal.publish;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imgur's upload endpoint on 127.0.0.1. Each request is checked the way Imgur's API documents it — {@code POST
 * /3/image}, {@code Authorization: Client-ID …}, a multipart body with the bytes in {@code image} and {@code type=file}
 * — and refused with Imgur's error shape when it is wrong. Valid requests get the next scripted answer.
 */
public final class ImgurStandIn implements AutoCloseable {
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    public record Received(String method, String path, String authorization, Map<String, byte[]> parts) {
    }

    private static final Pattern BOUNDARY = Pattern.compile("^multipart/form-data; *boundary=(\\S+)$");
    private static final Pattern PART_NAME = Pattern.compile("name=\"([^\"]+)\"");

    private final HttpServer server;
    private final String clientId;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private volatile Hold hold;

    /** A request that, once arrived, waits to be released before it is answered. */
    private record Hold(CountDownLatch arrived, CountDownLatch release) {
    }

    public ImgurStandIn(String clientId) throws IOException {
        this.clientId = clientId;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized ImgurStandIn then(Answer answer) {
        script.add(answer);
        return this;
    }

    public static Answer success(String id, String deletehash) {
        return new Answer(200, Map.of("X-RateLimit-ClientRemaining", "12490", "X-RateLimit-UserRemaining", "1240"),
                "{\"data\":{\"id\":\"" + id + "\",\"type\":\"image/png\",\"deletehash\":\"" + deletehash
                        + "\",\"link\":\"https://i.imgur.com/" + id + ".png\"},\"success\":true,\"status\":200}");
    }

    public static Answer error(int status, Map<String, String> headers, String message) {
        return new Answer(status, headers, "{\"data\":{\"error\":\"" + message
                + "\",\"request\":\"/3/image\",\"method\":\"POST\"},\"success\":false,\"status\":" + status + "}");
    }

    /**
     * The next valid request counts {@code arrived} down once it is here, then waits (at most 30 s) for
     * {@code release} before it gets its answer: a publisher caught in the middle of an upload.
     */
    public ImgurStandIn holdNext(CountDownLatch arrived, CountDownLatch release) {
        hold = new Hold(arrived, release);
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, byte[]> parts = contentType == null ? Map.of() : parts(contentType, body);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), parts));
            String problem = problem(exchange, parts);
            Hold held = hold;
            if (problem == null && held != null) {
                hold = null;
                held.arrived().countDown();
                try {
                    held.release().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer answer = problem != null ? error(400, Map.of(), problem) : next();
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private synchronized Answer next() {
        Answer answer = script.poll();
        return answer != null ? answer : error(500, Map.of(), "stand-in has no scripted answer left");
    }

    private String problem(HttpExchange exchange, Map<String, byte[]> parts) {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/3/image")) {
            return "expected POST /3/image";
        }
        if (!("Client-ID " + clientId).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return "Authentication required";
        }
        if (!parts.containsKey("image") || parts.get("image").length == 0) {
            return "No image data was sent to the upload api";
        }
        if (!"file".equals(new String(parts.getOrDefault("type", new byte[0]), StandardCharsets.UTF_8))) {
            return "type must be file for a binary upload";
        }
        return null;
    }

    /** A small multipart/form-data reader: enough to check what the publisher sends. */
    private static Map<String, byte[]> parts(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        if (!m.matches()) {
            return parts;
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int start = pos + delimiter.length;
            if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // closing delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            int next = indexOf(body, ("\r\n--" + m.group(1)).getBytes(StandardCharsets.US_ASCII), start);
            if (headersEnd < 0 || next < 0) {
                break;
            }
            String headers = new String(body, start, headersEnd - start, StandardCharsets.US_ASCII);
            Matcher name = PART_NAME.matcher(headers);
            if (name.find()) {
                byte[] content = new byte[next - (headersEnd + 4)];
                System.arraycopy(body, headersEnd + 4, content, 0, content.length);
                parts.put(name.group(1), content);
            }
            pos = next + 2;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
