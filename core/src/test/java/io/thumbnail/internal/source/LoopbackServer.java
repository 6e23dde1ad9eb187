package io.thumbnail.internal.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on a loopback address and a free port, one small handler per path. */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers;
    private final String name;

    private LoopbackServer(String address, String name) throws IOException {
        this.name = name;
        AtomicInteger threads = new AtomicInteger();
        this.handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-handler-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        server.setExecutor(handlers);
        server.start();
    }

    public static LoopbackServer onIpv4(String name) throws IOException {
        return new LoopbackServer("127.0.0.1", name);
    }

    public static LoopbackServer onIpv6(String name) throws IOException {
        return new LoopbackServer("::1", name);
    }

    /** What one path answers; may block or throw, as misbehaving servers do. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    public LoopbackServer on(String path, Handler handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                handler.handle(exchange);
            } catch (IOException e) {
                // the client hung up, which several tests provoke on purpose
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A URL on this server using its address literally. */
    public String url(String path) {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + path;
    }

    public static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    public static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
                System.err.println(name + ": handler threads still running after 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
