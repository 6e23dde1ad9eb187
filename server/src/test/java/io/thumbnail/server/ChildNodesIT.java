package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes as separate processes: two servers started as {@code java -jar thumbnail-server.jar} in JVMs of their own (an
 * integration test, run once the jar is packaged) and one in this JVM without workers, all on one PostgreSQL database and one bucket. Jobs
 * accepted by this node are run by the child processes and served by every node; a child killed with SIGKILL while it
 * runs a job loses nothing: the job is run again by the node left once the dead one's lease ({@code --lease 2s}) ran
 * out. The job the child holds at the kill is a URL job whose image host (a stand-in in this test) keeps the fetch
 * waiting, so the child is certainly inside that job when it dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChildNodesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    static Path dir;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<ChildServer> children = new ArrayList<>();
    private static final List<Integer> childPorts = new ArrayList<>();
    private static final CountDownLatch releaseHeldFetch = new CountDownLatch(1);
    private static final AtomicInteger fetches = new AtomicInteger();
    private static TestServer local;
    private static HttpServer imageHost;

    /** The nodes are started once for the class (a child JVM takes seconds); the kill comes last. */
    @BeforeAll
    static void start() throws Exception {
        LocalS3 s3 = endpoint.s3();
        String blobStore = s3.location(endpoint.newBucket("children"), "blobs");
        String database = TestPostgres.get().newDatabase("child_nodes");
        imageHost = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        imageHost.setExecutor(Executors.newCachedThreadPool());
        imageHost.createContext("/slow.png", ChildNodesIT::serveAfterFirstHold);
        imageHost.start();
        for (String node : List.of("c1", "c2")) {
            children.add(ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                    dir.resolve(node).toString(), "--database", database, "--blob-store", blobStore, "--node-id",
                    node, "--workers", "1", "--lease", "2s", "--allow-private-sources"));
        }
        for (ChildServer child : children) {
            childPorts.add(child.awaitPort());
        }
        // Private sources allowed here as on the children: the URL job below names the image host on loopback.
        local = TestServer.startPaused(dir.resolve("a"), "--database", database, "--blob-store", blobStore,
                "--node-id", "a", "--allow-private-sources");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        releaseHeldFetch.countDown();
        if (local != null) {
            local.close();
        }
        for (ChildServer child : children) {
            child.close();
        }
        imageHost.stop(0);
        ((java.util.concurrent.ExecutorService) imageHost.getExecutor()).shutdownNow();
    }

    /** The first fetch waits until released (or the fetching process dies); later ones are answered at once. */
    private static void serveAfterFirstHold(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (fetches.incrementAndGet() == 1) {
                releaseHeldFetch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            byte[] png = TestImages.gradient(140, 90, "png");
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpResponse<byte[]> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    @Order(1)
    void jobs_accepted_by_a_node_without_workers_are_run_by_the_child_processes_and_served_by_every_node()
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> accepted = local.postRaw("/api/v1/thumbnails?width=40", "image/png",
                    TestImages.gradient(100 + i, 70, "png"));
            assertThat(accepted.statusCode()).as("upload %s; body: %s", i, accepted.body()).isEqualTo(202);
            ids.add(json(accepted).get("id").asText());
        }

        for (String id : ids) {
            JsonNode done = json(local.get("/api/v1/thumbnails/" + id + "?wait=30"));
            assertThat(done.get("status").asText()).as("job %s, seen on this node: %s", id, done).isEqualTo("done");
            byte[] here = local.getBytes("/api/v1/thumbnails/" + id + "/file").body();
            for (int port : childPorts) {
                HttpResponse<byte[]> there = get(port, "/api/v1/thumbnails/" + id + "/file");
                assertThat(there.statusCode()).as("thumbnail of %s from the child on port %s", id, port)
                        .isEqualTo(200);
                assertThat(there.body()).as("its bytes, as this node serves them").isEqualTo(here);
            }
        }
    }

    @Test
    @Order(2)
    void a_child_killed_while_it_runs_a_job_loses_it_not_the_node_left_runs_it_after_the_lease() throws Exception {
        HttpResponse<String> accepted = local.postRaw("/api/v1/thumbnails?width=40", "application/json",
                ("{\"url\": \"http://127.0.0.1:" + imageHost.getAddress().getPort() + "/slow.png\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).as("URL job; body: %s", accepted.body()).isEqualTo(202);
        String id = json(accepted).get("id").asText();
        String holder = awaitRunningNode(id);
        ChildServer killed = children.get(holder.equals("c1") ? 0 : 1);

        killed.process().destroyForcibly(); // SIGKILL: no shutdown hook, no lease given back
        assertThat(killed.process().waitFor(30, TimeUnit.SECONDS)).as("the killed child is gone").isTrue();

        JsonNode orphan = json(local.get("/api/v1/thumbnails/" + id));
        assertThat(orphan.get("status").asText()).as("status once %s is dead", holder).isEqualTo("processing");
        assertThat(orphan.get("node").asText()).as("node still named on it").isEqualTo(holder);
        releaseHeldFetch.countDown();
        long killedAt = System.nanoTime();

        JsonNode done = json(local.get("/api/v1/thumbnails/" + id + "?wait=30"));
        assertThat(done.get("status").asText()).as("the job after the kill: %s", done).isEqualTo("done");
        assertThat(done.get("attempts").asInt()).as("attempts: the killed one and the one that finished")
                .isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("from the kill to the job done elsewhere")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(30));
        int survivor = childPorts.get(holder.equals("c1") ? 1 : 0);
        assertThat(get(survivor, "/api/v1/thumbnails/" + id + "/file").statusCode())
                .as("its thumbnail from the child left").isEqualTo(200);
        assertThat(fetches.get()).as("fetches of the image: the killed child's and the survivor's")
                .isEqualTo(2);
    }

    /** The node running the job, once a child has claimed it. */
    private static String awaitRunningNode(String id) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = json(local.get("/api/v1/thumbnails/" + id));
            if (job.get("status").asText().equals("processing") && fetches.get() == 1) {
                return job.get("node").asText();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no child started the job within " + PATIENCE);
    }
}
