package io.thumbnail.server.internal;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response written straight to the servlet output, flushed per event. (Javalin's own
 * SseHandler only answers clients that send {@code Accept: text/event-stream}; this works for curl too.)
 */
public final class EventStream {
    private final OutputStream out;
    private boolean closed;

    public EventStream(Context ctx) throws IOException {
        ctx.status(200)
                .contentType("text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
        ctx.res().flushBuffer();
    }

    /** One event; {@code data} must be a single line (compact JSON is). */
    public void send(String event, String data) {
        write("event: " + event + "\ndata: " + data + "\n\n");
    }

    public void comment(String text) {
        write(": " + text + "\n\n");
    }

    /** True once a write failed: the client has gone. */
    public boolean isClosed() {
        return closed;
    }

    private void write(String text) {
        if (closed) {
            return;
        }
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            closed = true;
        }
    }
}
