package io.thumbnail.internal.blob.s3;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * What went wrong talking to the bucket, in words an operator can act on: a missing bucket, refused credentials, a
 * wrong region, nothing answering at the endpoint. The SDK's own messages name its classes and request ids instead.
 */
final class S3Problems {
    static final String CREDENTIALS = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

    private S3Problems() {
    }

    /** Whether {@code e} is the store's silence (a request or socket timeout), not a refusal or a broken connection. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof ApiCallTimeoutException
                    || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String describe(SdkException e, S3Location location) {
        if (e instanceof S3Exception s3) {
            return answered(s3, location);
        }
        if (e instanceof ApiCallTimeoutException) {
            return location.where() + " did not answer in time";
        }
        if (String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
            return "no credentials: set " + CREDENTIALS + " in the environment";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return "nothing answers at " + location.where() + " (" + lowerCase(cause.getMessage()) + ")";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage() + " (" + location.where() + ")";
            }
            if (cause instanceof SocketTimeoutException) {
                return location.where() + " did not answer in time (" + lowerCase(cause.getMessage()) + ")";
            }
            if (cause instanceof SSLException) {
                return "TLS with " + location.where() + " failed: " + cause.getMessage();
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return "the connection to " + location.where() + " failed (" + lowerCase(cause.getMessage()) + ")";
            }
        }
        return String.valueOf(e.getMessage());
    }

    private static String answered(S3Exception e, S3Location location) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String bucket = "the bucket '" + location.bucket() + "'";
        if (e instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
            return bucket + " does not exist at " + location.where();
        }
        if (e.statusCode() == 403) {
            return location.where() + " refused " + CREDENTIALS + " for " + bucket + " (403"
                    + (code == null || code.isBlank() ? "" : " " + code) + "): check the keys, and that they may use"
                    + " the bucket";
        }
        if (e.statusCode() == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            return bucket + " is not in region " + location.region() + ": set region= to the bucket's region";
        }
        return location.where() + " answered " + e.statusCode() + (code == null || code.isBlank() ? "" : " " + code);
    }

    private static String lowerCase(String message) {
        return message == null ? "no answer" : message.toLowerCase(java.util.Locale.ROOT);
    }
}
