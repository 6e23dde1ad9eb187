package io.thumbnail.server.internal;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.time.Duration;

/**
 * Bounds how long a connection may hold a socket without making progress: the idle timeout on every connector,
 * and a deadline for a new connection's first request headers. Jetty reads headers without a thread, so slow
 * clients cost only a socket each; the idle timeout alone would let one that sends a byte now and then keep it
 * forever. A server bean, so it reaches the connectors Javalin creates when the server starts.
 */
public final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private final Server server;
    private final Duration idleTimeout;
    private final Duration headerTimeout;

    public ConnectionGuard(Server server, Duration idleTimeout, Duration headerTimeout) {
        this.server = server;
        this.idleTimeout = idleTimeout;
        this.headerTimeout = headerTimeout;
    }

    @Override
    protected void doStart() throws Exception {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                c.setIdleTimeout(idleTimeout.toMillis());
            }
            connector.addBean(this);
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        for (Connector connector : server.getConnectors()) {
            connector.removeBean(this);
        }
        super.doStop();
    }

    @Override
    public void onOpened(Connection connection) {
        server.getScheduler().schedule(() -> {
            // HTTP/1 counts a request once its headers are complete.
            if (connection.getEndPoint().isOpen() && connection.getMessagesIn() == 0) {
                connection.getEndPoint().close();
            }
        }, headerTimeout);
    }
}
