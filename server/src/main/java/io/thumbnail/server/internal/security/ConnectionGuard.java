package io.thumbnail.server.internal.security;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bounds what connections may hold without making progress: the idle timeout on every connector, a deadline for
 * each request's headers (counted from a new connection's opening, and on a kept-alive connection from the first
 * byte of its next request), and how many connections one client address may hold open. Jetty reads headers
 * without a thread, so slow clients cost only a socket each; the idle timeout alone would let one that sends a
 * byte now and then keep it forever. A server bean, so it reaches the connectors Javalin creates when the server
 * starts.
 */
public final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    /** Connections the kernel may hold for the acceptor (capped by the system's own limit, somaxconn on Linux). */
    static final int ACCEPT_QUEUE = 1024;

    private final Server server;
    private final Duration idleTimeout;
    private final long headerTimeoutNanos;
    private final int maxPerAddress;
    private final long sweepMillis;
    private final Map<Connection, HeaderClock> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    public ConnectionGuard(Server server, Duration idleTimeout, Duration headerTimeout, int maxPerAddress) {
        this.server = server;
        this.idleTimeout = idleTimeout;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.maxPerAddress = maxPerAddress;
        // A quarter of the timeout: a connection is closed between 1 and 1.25 timeouts after its head began.
        this.sweepMillis = Math.max(100, Math.min(1000, headerTimeout.toMillis() / 4));
        server.addEventListener(new ConnectorSetup());
    }

    /**
     * Sets the connectors up as the server starts, before it opens them: the backlog is fixed when a connector
     * binds its port, which the server does before it starts its beans.
     */
    private final class ConnectorSetup implements LifeCycle.Listener {
        @Override
        public void lifeCycleStarting(LifeCycle event) {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof AbstractConnector c) {
                    c.setIdleTimeout(idleTimeout.toMillis());
                }
                if (connector instanceof ServerConnector c) {
                    // The JDK's default backlog (50) overflows in a burst of connections, and a client whose
                    // connection was dropped waits a second or more for its retry: /health among them.
                    c.setAcceptQueueSize(ACCEPT_QUEUE);
                }
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        for (Connector connector : server.getConnectors()) {
            connector.addBean(this);
        }
        super.doStart();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        for (Connector connector : server.getConnectors()) {
            connector.removeBean(this);
        }
        super.doStop();
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection);
        if (address != null && perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
            log.debug("closing a connection from {}: it holds {} already", address, maxPerAddress);
            // Closed on another thread: the connection is still being opened on this one.
            server.getScheduler().schedule(() -> connection.getEndPoint().close(), 0, TimeUnit.MILLISECONDS);
        }
        open.put(connection, new HeaderClock(System.nanoTime(), address));
    }

    /**
     * Gives the connection's place back to its address, the one it was counted under when it opened: a closed
     * endpoint no longer knows its remote address, and a count never given back would shut the address out for good.
     */
    @Override
    public void onClosed(Connection connection) {
        HeaderClock clock = open.remove(connection);
        if (clock != null && clock.address != null) {
            perAddress.computeIfPresent(clock.address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections open now from {@code address}. */
    int connections(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    private static InetAddress address(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private void scheduleSweep() {
        if (isRunning()) {
            sweep = server.getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            open.forEach((connection, clock) -> {
                if (clock.overdue(connection, now, headerTimeoutNanos) && connection.getEndPoint().isOpen()) {
                    log.debug("closing {}: its request headers took longer than the header timeout", connection);
                    connection.getEndPoint().close();
                }
            });
        } finally {
            scheduleSweep();
        }
    }

    /**
     * A connection's client address, and when the headers of its current request began to arrive. The clock is read
     * by the one sweep thread only; the parser state it looks at is Jetty's, read without a lock, which at worst
     * delays a close by a sweep.
     */
    private static final class HeaderClock {
        final InetAddress address;
        private long requests;
        private long since;
        private boolean counting = true;

        HeaderClock(long openedAt, InetAddress address) {
            this.since = openedAt;
            this.address = address;
        }

        boolean overdue(Connection connection, long now, long timeoutNanos) {
            long seen = connection.getMessagesIn();
            if (seen != requests) {
                // A request's headers have arrived: nothing to time until the next request begins.
                requests = seen;
                counting = false;
            }
            if (!counting) {
                if (connection instanceof HttpConnection http && isReceivingHeaders(http.getParser())) {
                    counting = true;
                    since = now;
                }
                return false;
            }
            return now - since >= timeoutNanos;
        }

        private static boolean isReceivingHeaders(HttpParser parser) {
            return parser.inHeaderState() && !parser.isStart();
        }
    }
}
