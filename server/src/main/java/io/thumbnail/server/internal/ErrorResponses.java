package io.thumbnail.server.internal;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place exceptions become HTTP responses: {@code {"error": {"code", "message"}}} with a status that
 * follows from the code. Handlers just throw. Anything unexpected is logged with its stack trace and answered
 * 500 {@code internal} with a message that reveals nothing.
 */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    /** How long a client should back off when the queue is full. */
    static final String RETRY_AFTER_SECONDS = "5";

    public record Body(Detail error) {
    }

    public record Detail(String code, String message) {
    }

    private ErrorResponses() {
    }

    public static void handle(Exception e, Context ctx) {
        if (e instanceof ThumbnailException te) {
            if (te.code() == ErrorCode.QUEUE_FULL) {
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            }
            if (te.code() == ErrorCode.INTERNAL) {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
            }
            render(ctx, status(te.code()), te.code().id(), te.getMessage());
        } else if (e instanceof JobFailedException failed) {
            render(ctx, 422, failed.error().code(), failed.error().message());
        } else if (e instanceof HttpResponseException http) {
            render(ctx, http.getStatus(), codeOf(http.getStatus()), http.getMessage());
        } else if (UploadReader.isSizeLimit(e)) {
            render(ctx, 413, ErrorCode.TOO_LARGE.id(), "the request body is larger than the upload limit");
        } else {
            log.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            render(ctx, 500, ErrorCode.INTERNAL.id(), "an unexpected error occurred; it has been logged");
        }
    }

    /** The HTTP status for a core error code. */
    public static int status(ErrorCode code) {
        switch (code) {
            case INVALID_SPEC:
            case INVALID_REQUEST: return 400;
            case NOT_FOUND: return 404;
            case NOT_READY: return 409;
            case TOO_LARGE: return 413;
            case UNSUPPORTED_FORMAT: return 415;
            case QUEUE_FULL: return 429;
            case CORRUPT_IMAGE:
            case TOO_MANY_PIXELS: return 422;
            case IO_ERROR:
            case TIMEOUT: return 503;
            default: return 500;
        }
    }

    private static String codeOf(int status) {
        switch (status) {
            case 400: return ErrorCode.INVALID_REQUEST.id();
            case 404: return ErrorCode.NOT_FOUND.id();
            case 405: return "method_not_allowed";
            case 413: return ErrorCode.TOO_LARGE.id();
            case 415: return ErrorCode.UNSUPPORTED_FORMAT.id();
            default: return status >= 500 ? ErrorCode.INTERNAL.id() : "http_" + status;
        }
    }

    private static void render(Context ctx, int status, String code, String message) {
        ctx.status(status).json(new Body(new Detail(code, message)));
    }
}
