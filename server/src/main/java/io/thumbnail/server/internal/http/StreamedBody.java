package io.thumbnail.server.internal.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a response body from a stream without a thread waiting for the client: servlet non-blocking output takes
 * the next piece on the Jetty thread that found the connection writable again, so a client that stops reading holds
 * a socket (until the idle timeout), never a thread. The counterpart of {@link BodyReader} for downloads. The stream
 * is closed in every case; a client gone away completes the body quietly, there being no one left to answer.
 */
public final class StreamedBody implements WriteListener {
    private static final Logger log = LoggerFactory.getLogger(StreamedBody.class);
    /** A piece per write: as much as a socket buffer takes at once, small beside the heap. */
    static final int PIECE_BYTES = 64 * 1024;

    private final InputStream in;
    private final ServletOutputStream out;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final byte[] piece = new byte[PIECE_BYTES];

    private StreamedBody(InputStream in, ServletOutputStream out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Starts writing {@code in} as the body of {@code response}, whose request must be in async mode already (inside
     * Javalin's {@code ctx.future}); completes once all of it is written or the client has gone.
     */
    public static CompletableFuture<Void> send(InputStream in, HttpServletResponse response) {
        StreamedBody body;
        try {
            body = new StreamedBody(in, response.getOutputStream());
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            return CompletableFuture.failedFuture(e);
        }
        body.out.setWriteListener(body);
        return body.done;
    }

    @Override
    public void onWritePossible() {
        try {
            while (out.isReady()) {
                int n = in.read(piece);
                if (n < 0) {
                    finish();
                    return;
                }
                out.write(piece, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            onError(e);
        }
    }

    @Override
    public void onError(Throwable failure) {
        log.debug("a response body broke off: {}", failure.toString());
        finish();
    }

    private void finish() {
        closeQuietly(in);
        done.complete(null);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Nothing is left to read from it either way.
        }
    }
}
