package io.thumbnail.server.internal.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.thumbnail.ErrorCode;
import io.thumbnail.JobError;
import io.thumbnail.ThumbnailException;
import io.thumbnail.server.internal.security.RequestRefused;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place exceptions become HTTP responses: {@code {"error": {"code", "message"}}} with a status that
 * follows from the code. Handlers just throw. Anything unexpected is logged with its stack trace and answered
 * 500 {@code internal} with a message that reveals nothing.
 */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    /** How long a client should back off when the queue is full or the server cannot take work (503). */
    static final String RETRY_AFTER_SECONDS = "5";
    /** What a request refused or cut short by a stopping server is told. */
    static final String SHUTTING_DOWN = "the server is shutting down; try again in a few seconds";
    private static final String RENDERED = "thumbnail.error-rendered";

    public record Body(Detail error) {
    }

    public record Detail(String code, String message) {
    }

    private final long maxUploadBytes;
    private final int maxParts;
    /** When requests failed on the storage were last logged at WARN (0: never), and how many went unlogged since. */
    private final AtomicLong lastStorageWarning = new AtomicLong();
    private final AtomicInteger storageFailuresUnlogged = new AtomicInteger();
    private static final long STORAGE_WARNING_EVERY = TimeUnit.MINUTES.toNanos(1);

    public ErrorResponses(long maxUploadBytes, int maxParts) {
        this.maxUploadBytes = maxUploadBytes;
        this.maxParts = maxParts;
    }

    public void handle(Exception e, Context ctx) {
        if (e instanceof InterruptedException) {
            // Only a stopping server interrupts a request thread: one still running when the grace period ends.
            handle(new ThumbnailException(ErrorCode.UNAVAILABLE, SHUTTING_DOWN), ctx);
        } else if (e instanceof ThumbnailException te) {
            if (te.code() == ErrorCode.QUEUE_FULL) {
                ctx.header("Retry-After", RETRY_AFTER_SECONDS); // every 503 gets it in render
            }
            if (te.code() == ErrorCode.IO_ERROR) {
                // Its message can name files of this machine: logged, never sent. A store that fails fails every
                // request for a while, and the service logs that itself: one line a minute here, the rest at debug.
                long now = System.nanoTime();
                long last = lastStorageWarning.get();
                if ((now - last >= STORAGE_WARNING_EVERY || last == 0) && lastStorageWarning.compareAndSet(last, now)) {
                    int more = storageFailuresUnlogged.getAndSet(0);
                    log.warn("{} {} failed: {}{}", ctx.method(), ctx.path(), te.getMessage(),
                            more > 0 ? " (and " + more + " more requests since the last such line)" : "");
                } else {
                    storageFailuresUnlogged.incrementAndGet();
                    log.debug("{} {} failed: {}", ctx.method(), ctx.path(), te.getMessage());
                }
                render(ctx, 503, te.code().id(), "the server could not read or write its storage; try again later");
                return;
            }
            if (te.code() == ErrorCode.INTERNAL) {
                // Its message can name files and classes of this machine: logged, never sent.
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                render(ctx, status(te.code()), te.code().id(), "an unexpected error occurred; it has been logged");
                return;
            }
            render(ctx, status(te.code()), te.code().id(), te.getMessage());
        } else if (e instanceof RequestRefused refused) {
            refused.headers().forEach(ctx::header);
            render(ctx, refused.status(), refused.code(), refused.getMessage());
        } else if (e instanceof JobFailedException failed) {
            JobError shown = ClientErrors.of(failed.error());
            render(ctx, 422, shown.code().id(), shown.message());
        } else if (e instanceof RejectedExecutionException) {
            // What follows a body or a wait found the server's executors stopped: it is shutting down.
            render(ctx, 503, ErrorCode.UNAVAILABLE.id(), SHUTTING_DOWN);
        } else if (e instanceof HttpResponseException http) {
            render(ctx, http.getStatus(), codeOf(http.getStatus()), http.getMessage());
        } else if (causeMessageStarts(e, "Form with too many keys")) {
            render(ctx, 413, ErrorCode.TOO_LARGE.id(), "a multipart upload may have at most " + maxParts + " parts");
        } else if (isSizeLimit(e)) {
            render(ctx, 413, ErrorCode.TOO_LARGE.id(), "the upload is larger than the limit of " + maxUploadBytes + " bytes");
        } else if (jettyStatus(e) >= 400 && jettyStatus(e) < 500) {
            // Jetty refusing a malformed request (a broken multipart body, a bad header): the client's fault.
            log.info("{} {} refused: {}", ctx.method(), ctx.path(), e.toString());
            int status = jettyStatus(e);
            render(ctx, status, codeOf(status), "the request is malformed (" + reason(e) + ")");
        } else {
            log.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            render(ctx, 500, ErrorCode.INTERNAL.id(), "an unexpected error occurred; it has been logged");
        }
    }

    /** The HTTP status for a core error code. */
    public static int status(ErrorCode code) {
        switch (code) {
            case INVALID_SPEC:
            case SOURCE_BLOCKED:
            case INVALID_REQUEST: return 400;
            case SOURCE_UNREACHABLE:
            case PUBLISH_FAILED: return 502;
            case NOT_FOUND: return 404;
            case NOT_READY: return 409;
            case TOO_LARGE: return 413;
            case UNSUPPORTED_FORMAT: return 415;
            case QUEUE_FULL: return 429;
            case CORRUPT_IMAGE:
            case TOO_MANY_PIXELS: return 422;
            case IO_ERROR:
            case UNAVAILABLE:
            case TIMEOUT: return 503;
            default: return 500;
        }
    }

    /**
     * Javalin answers unknown paths (404) and wrong methods (405) itself, in plain text; this gives them the same
     * JSON shape. Responses already rendered here are left alone.
     */
    public void handleStatus(Context ctx) {
        if (ctx.attribute(RENDERED) != null) {
            return;
        }
        String message = ctx.status().getCode() == 405
                ? ctx.method() + " is not allowed on " + ctx.path() + " (allowed: " + ctx.res().getHeader("Allow") + ")"
                : "nothing at " + ctx.method() + " " + ctx.path();
        render(ctx, ctx.status().getCode(), codeOf(ctx.status().getCode()), message);
    }

    /**
     * Jetty's multipart parser reports its size limits as plain IllegalStateExceptions ("max length exceeded",
     * "max file size exceeded"), wrapped in a 400; the message is the only way to tell them apart.
     */
    private static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && t.getMessage() != null
                    && (t.getMessage().startsWith("max length exceeded") || t.getMessage().startsWith("max file size exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** Jetty's multipart parser reports too many parts only in a message ("Form with too many keys [1001 > 1000]"). */
    private static boolean causeMessageStarts(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The status a Jetty {@link HttpException} in the cause chain carries, or 0. */
    private static int jettyStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return http.getCode();
            }
        }
        return 0;
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getReason() != null) {
                return http.getReason();
            }
        }
        return "unreadable";
    }

    /** The wire code for an HTTP status that did not come from a core error. */
    static String codeOf(int status) {
        switch (status) {
            case 400: return ErrorCode.INVALID_REQUEST.id();
            case 404: return ErrorCode.NOT_FOUND.id();
            case 405: return "method_not_allowed";
            case 413:
            case 414:
            case 431: return ErrorCode.TOO_LARGE.id();
            case 415: return ErrorCode.UNSUPPORTED_FORMAT.id();
            case 503: return ErrorCode.UNAVAILABLE.id();
            case 426:
            case 505: return "http_version_not_supported";
            default: return status >= 500 ? ErrorCode.INTERNAL.id() : ErrorCode.INVALID_REQUEST.id();
        }
    }

    private static void render(Context ctx, int status, String code, String message) {
        ctx.attribute(RENDERED, Boolean.TRUE);
        if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
            // A refused body may be left unread, and Jetty then closes the connection: saying so keeps a client
            // from sending its next request down a connection about to close.
            ctx.header("Connection", "close");
        }
        if (status == 503 && !ctx.res().containsHeader("Retry-After")) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.status(status).json(new Body(new Detail(code, message)));
    }
}
