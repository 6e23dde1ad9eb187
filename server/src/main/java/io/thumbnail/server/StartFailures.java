package io.thumbnail.server;

import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/** Why the server could not start, in one line for whoever started it. */
final class StartFailures {
    /** How the service begins the message of a blob store it could not open. */
    private static final String BLOB_STORE_FAILURE = "could not open the blob store ";

    private StartFailures() {
    }

    /**
     * Why the server could not listen, from the socket's own error: Javalin words every bind failure as "port already
     * in use", also when the host name does not resolve, the host is not an address of this machine or the port needs
     * privileges.
     */
    static String listen(ServerConfig config, Throwable failure) {
        if (isUnresolved(failure)) {
            return "the host name " + config.host() + " could not be resolved; --host takes an address of this machine,"
                    + " a name for one, or 0.0.0.0 for all of them";
        }
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        if (!(cause instanceof BindException)) {
            return failure.getMessage() != null ? failure.getMessage() : failure.toString();
        }
        String reason = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (reason.contains("already in use")) {
            return "port " + config.port() + " is in use by another process";
        }
        if (reason.contains("cannot assign requested address")) {
            return config.host() + " is not an address of this machine; --host takes an address of this machine,"
                    + " a name for one, or 0.0.0.0 for all of them";
        }
        if (reason.contains("permission denied")) {
            return "permission denied (ports below 1024 need privileges; use --port 8080 or higher)";
        }
        return reason;
    }

    /** Jetty binds to the host name unresolved when it has no address: the bind fails, not the lookup. */
    private static boolean isUnresolved(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The service's own message names what it could not open (the data directory, the database of
     * {@code --database}, its password masked, or the blob store, to which the flag that chose it is added) and the
     * cause; anything else is given one.
     */
    static String open(ServerConfig config, Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        int named = message.indexOf(": ");
        if (message.startsWith(BLOB_STORE_FAILURE) && named > 0) {
            return message.substring(0, named) + " (--" + ServerOptions.BLOB_STORE.name() + ")"
                    + message.substring(named);
        }
        return message.startsWith("could not open the data directory ")
                || message.startsWith("could not open the job database ") ? message
                : "could not open the data directory " + config.dataDir().toAbsolutePath().normalize() + ": " + message;
    }
}
