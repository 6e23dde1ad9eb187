package io.thumbnail.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many raw connections driven by the one thread that calls {@link #tick}: each sends a request head, then (for a
 * slow body) a few bytes of its body at every tick. Each connection is made from a loopback address of its own
 * choosing (Linux routes all of 127.0.0.0/8 to lo), so they count as different clients. Nothing is read but to
 * notice what the server answered or closed.
 */
final class SlowClients implements AutoCloseable {
    private static final int MAX_KEPT = 64 * 1024;

    private final int port;
    private final List<Client> clients = new ArrayList<>();

    private static final class Client {
        final SocketChannel channel;
        final ByteBuffer head;
        final int bytesPerTick;
        long bodyLeft;
        long received;
        final ByteArrayOutputStream answer = new ByteArrayOutputStream();
        boolean closedByServer;

        Client(SocketChannel channel, String head, int bytesPerTick, long bodyBytes) {
            this.channel = channel;
            this.head = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
            this.bytesPerTick = bytesPerTick;
            this.bodyLeft = bodyBytes;
        }
    }

    SlowClients(int port) {
        this.port = port;
    }

    /**
     * Opens a connection from {@code localAddress} that sends {@code head}, then {@code bytesPerTick} bytes of a body
     * of {@code bodyBytes} at each tick (0 and 0 for a request without a body).
     */
    void open(String localAddress, String head, int bytesPerTick, long bodyBytes) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(localAddress, 0));
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            clients.add(new Client(channel, head, bytesPerTick, bodyBytes));
        } catch (IOException e) {
            throw new UncheckedIOException("could not connect from " + localAddress, e);
        }
    }

    /** Sends what is due (heads not yet written, a tick's worth of each body) and notes what came back. */
    void tick() {
        ByteBuffer discard = ByteBuffer.allocate(8192);
        byte[] filler = new byte[4096];
        for (Client c : clients) {
            if (c.closedByServer) {
                continue;
            }
            try {
                if (c.head.hasRemaining()) {
                    c.channel.write(c.head);
                }
                if (!c.head.hasRemaining() && c.bodyLeft > 0) {
                    int n = (int) Math.min(c.bytesPerTick, c.bodyLeft);
                    c.bodyLeft -= c.channel.write(ByteBuffer.wrap(filler, 0, n));
                }
                discard.clear();
                int read = c.channel.read(discard);
                if (read < 0) {
                    c.closedByServer = true;
                } else {
                    c.received += read;
                    if (c.answer.size() < MAX_KEPT) {
                        c.answer.write(discard.array(), 0, read);
                    }
                }
            } catch (IOException e) {
                c.closedByServer = true;
            }
        }
    }

    /** Ticks every {@code period} for {@code duration}, on time however long a tick takes. */
    void trickle(Duration duration, Duration period) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long next = System.nanoTime();
        while (next < end) {
            tick();
            next += period.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    /** What the server sent on connection {@code index} (the first {@value #MAX_KEPT} bytes), as a response. */
    RawHttp.Response answer(int index) {
        return RawHttp.parse(clients.get(index).answer.toByteArray());
    }

    /** Connections whose whole head has been sent. */
    int headsSent() {
        return (int) clients.stream().filter(c -> !c.head.hasRemaining()).count();
    }

    /** Connections the server has answered (any byte) or closed: neither waiting nor still receiving. */
    int answeredOrClosed() {
        return (int) clients.stream().filter(c -> c.closedByServer || c.received > 0).count();
    }

    int size() {
        return clients.size();
    }

    @Override
    public void close() {
        for (Client c : clients) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing a test connection: nothing to do
            }
        }
    }
}
