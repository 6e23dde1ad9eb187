package io.thumbnail.server.internal.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
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
 *
 * <p>The idle timeout sees a write's progress only when the socket takes more bytes, and a socket whose send buffer
 * the kernel has grown to megabytes takes more only once a third of it has drained: a client reading a large body
 * steadily but slowly would look idle and be cut off. So while a body is written the connection may be idle as long
 * as its send buffer (up to {@value #SEND_BUFFER_BYTES} bytes, Linux's default ceiling) takes to drain at
 * {@value #SLOWEST_READ_BYTES_PER_SECOND} bytes a second, if that is longer than its own timeout; the connection's
 * timeout comes back when the body ends.
 */
public final class StreamedBody implements WriteListener {
    private static final Logger log = LoggerFactory.getLogger(StreamedBody.class);
    /** A piece per write: as much as a socket buffer takes at once, small beside the heap. */
    static final int PIECE_BYTES = 64 * 1024;
    /** The most a socket's send buffer holds, as far as the idle timeout can tell: Linux's {@code tcp_wmem} ceiling. */
    static final long SEND_BUFFER_BYTES = 4L << 20;
    /** The slowest steady reader a large body is written to without its connection taken for idle. */
    static final long SLOWEST_READ_BYTES_PER_SECOND = 16 * 1024;

    private final InputStream in;
    private final ServletOutputStream out;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final byte[] piece = new byte[PIECE_BYTES];

    private StreamedBody(InputStream in, ServletOutputStream out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Starts writing {@code in}, {@code length} bytes, as the body of {@code response}, whose request must be in async
     * mode already (inside Javalin's {@code ctx.future}); completes once all of it is written or the client has gone.
     */
    public static CompletableFuture<Void> send(InputStream in, long length, HttpServletRequest request,
                                               HttpServletResponse response) {
        StreamedBody body;
        try {
            body = new StreamedBody(in, response.getOutputStream());
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            return CompletableFuture.failedFuture(e);
        }
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(request).getConnectionMetaData()
                .getConnection().getEndPoint();
        long idle = endPoint.getIdleTimeout();
        long drain = drainMillis(length);
        if (idle > 0 && drain > idle) {
            endPoint.setIdleTimeout(drain);
            body.done.whenComplete((ended, failure) -> endPoint.setIdleTimeout(idle));
        }
        body.out.setWriteListener(body);
        return body.done;
    }

    /** How long a body of {@code length} bytes may go without the socket taking more, read by the slowest reader. */
    static long drainMillis(long length) {
        return Math.min(length, SEND_BUFFER_BYTES) * 1000 / SLOWEST_READ_BYTES_PER_SECOND;
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
