package io.thumbnail.server.internal.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A Server-Sent Events response written without blocking: events are queued and a servlet {@link WriteListener}
 * sends them as fast as the client takes them, each flushed on its own, so an open stream holds no thread. A client
 * that stops reading is dropped once {@value #MAX_QUEUED_BYTES} bytes wait for it. (Javalin's own SseHandler only
 * answers clients that send {@code Accept: text/event-stream}; this works for curl too.)
 */
public final class EventStream {
    static final int MAX_QUEUED_BYTES = 1 << 20;

    private final ServletOutputStream out;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private long queuedBytes;
    private boolean flushNeeded = true;
    private boolean ending;

    /** Answers 200 with the stream's headers, sent at once. The request must be async already (inside a future). */
    public EventStream(Context ctx) throws IOException {
        ctx.status(200)
                .contentType("text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                drain();
            }

            @Override
            public void onError(Throwable t) {
                close();
            }
        });
    }

    /** One event; {@code data} must be a single line (compact JSON is). */
    public void send(String event, String data) {
        queue("event: " + event + "\ndata: " + data + "\n\n");
    }

    /** One event with an id, which a browser's EventSource sends back as {@code Last-Event-ID} when it reconnects. */
    public void send(String event, String data, String id) {
        queue("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n");
    }

    public void comment(String text) {
        queue(": " + text + "\n\n");
    }

    /** Ends the stream once everything queued has been written. */
    public synchronized void end() {
        ending = true;
        drain();
    }

    /** Completes once the stream has ended or the client has gone. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** True once the stream has ended or the client has gone. */
    public boolean isClosed() {
        return closed.isDone();
    }

    private synchronized void queue(String text) {
        if (isClosed() || ending) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        queuedBytes += bytes.length;
        if (queuedBytes > MAX_QUEUED_BYTES) {
            close();
            return;
        }
        queued.add(bytes);
        drain();
    }

    /** Writes what the socket takes now; the container calls back ({@code onWritePossible}) when it takes more. */
    private synchronized void drain() {
        try {
            while (!isClosed() && out.isReady()) {
                byte[] next = queued.poll();
                if (next != null) {
                    queuedBytes -= next.length;
                    out.write(next);
                    flushNeeded = true;
                } else if (flushNeeded) {
                    flushNeeded = false;
                    out.flush();
                } else {
                    if (ending) {
                        close();
                    }
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            close();
        }
    }

    private void close() {
        queued.clear();
        queuedBytes = 0;
        closed.complete(null);
    }
}
