package io.thumbnail.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Bytes on a plain socket, for requests no HTTP client would send (malformed, oversized, or slow). */
final class RawHttp {
    /** A response as read off the wire: the status line and headers as text, then the body. */
    record Response(int status, String head, String body) {
        /** The first value of {@code name}, or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    static Socket connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request} (with {@code Connection: close} in it, or the server closing) and reads the answer. */
    static Response exchange(int port, byte[] request) {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes all of {@code request} as a client that reads nothing before it has sent its body would, then reads the
     * answer. The server may answer early and close, failing a write (broken pipe, reset): the writing stops there
     * and whatever answer arrived is read.
     */
    static Response sendAllThenRead(int port, byte[] request) {
        try (Socket socket = connect(port)) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException closedEarly) {
                // The server stopped reading; its answer, if it sent one, is waiting to be read.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends {@code request} and reads one answer, its body by its Content-Length: for answers after which the server
     * may keep the connection open whatever the request said (a refused {@code CONNECT}).
     */
    static Response exchangeOne(int port, String request) {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            Response headOnly = parse(head.toByteArray());
            String length = headOnly.header("Content-Length");
            byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
            return new Response(headOnly.status(), headOnly.head(), new String(body, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1 && out.size() < 1 << 20; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // What arrived is the answer; a reset after it changes nothing.
        }
        return parse(out.toByteArray());
    }

    /** A response from the bytes of one, as far as they go. */
    static Response parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] statusLine = head.split(" ", 3);
        int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
        return new Response(status, head, body);
    }

    /** True once the server has closed the connection (a read sees end of stream or a reset) within the timeout. */
    static boolean closedByServer(Socket socket, int timeoutMillis) {
        try {
            socket.setSoTimeout(timeoutMillis);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            while (true) {
                if (in.read(buffer) == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
