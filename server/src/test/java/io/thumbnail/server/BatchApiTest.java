package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/batches/{id}} and its Server-Sent Events. */
class BatchApiTest {
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");

    @TempDir
    Path dir;

    private record Event(String name, JsonNode data) {
    }

    private static JsonNode submitBatch(TestServer server, int files) {
        TestServer.FilePart[] parts = new TestServer.FilePart[files];
        for (int i = 0; i < files; i++) {
            parts[i] = new TestServer.FilePart("img" + i + ".png", "image/png", PNG);
        }
        HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=40", Map.of(), parts);
        assertThat(response.statusCode()).as("batch upload; body: %s", response.body()).isEqualTo(202);
        return json(response);
    }

    /** Parses a complete {@code text/event-stream} body; comments (keep-alives) are skipped. */
    private static List<Event> events(String body) throws Exception {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
            if (name != null) {
                events.add(new Event(name, TestServer.JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    @Test
    void a_batch_shows_totals_per_status_and_its_items() {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode submitted = submitBatch(server, 3);
            server.runNextJob();

            JsonNode batch = json(server.get("/api/v1/batches/" + submitted.get("id").asText()));

            assertThat(batch.get("total").asInt()).isEqualTo(3);
            assertThat(batch.at("/counts/done").asInt()).as("done after one run").isEqualTo(1);
            assertThat(batch.at("/counts/queued").asInt()).isEqualTo(2);
            assertThat(batch.get("finished").asBoolean()).isFalse();
            assertThat(batch.get("items")).hasSize(3);
        }
    }

    @Test
    void a_batch_get_with_wait_answers_once_every_item_is_finished() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode submitted = submitBatch(server, 2);
            CompletableFuture<HttpResponse<String>> waiting = server.getAsync("/api/v1/batches/"
                    + submitted.get("id").asText() + "?wait=30");
            server.runNextJob();
            server.runNextJob();

            JsonNode batch = json(waiting.get(30, TimeUnit.SECONDS));

            assertThat(batch.get("finished").asBoolean()).as("finished, seen by the waiting GET").isTrue();
            assertThat(batch.at("/counts/done").asInt()).isEqualTo(2);
        }
    }

    @Test
    void a_batch_get_refuses_a_query_parameter_it_does_not_take_naming_it() {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode submitted = submitBatch(server, 1);

            HttpResponse<String> response = server.get("/api/v1/batches/" + submitted.get("id").asText() + "?wiat=5");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).at("/error/message").asText())
                    .isEqualTo("unknown query parameter 'wiat' (this endpoint takes wait)");
        }
    }

    @Test
    void an_unknown_batch_is_404_for_the_batch_and_its_events() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> batch = server.get("/api/v1/batches/" + UUID.randomUUID());
            HttpResponse<String> events = server.get("/api/v1/batches/" + UUID.randomUUID() + "/events");

            assertThat(batch.statusCode()).isEqualTo(404);
            assertThat(json(batch).at("/error/code").asText()).isEqualTo("not_found");
            assertThat(events.statusCode()).isEqualTo(404);
            assertThat(json(events).at("/error/code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void events_follow_every_item_to_its_end_then_the_stream_closes() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode batch = submitBatch(server, 2);
            CompletableFuture<HttpResponse<String>> stream = server.getAsync("/api/v1/batches/" + batch.get("id").asText() + "/events");
            server.runNextJob();
            server.runNextJob();

            HttpResponse<String> response = stream.get(30, TimeUnit.SECONDS);

            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            List<Event> events = events(response.body());
            Event last = events.get(events.size() - 1);
            assertThat(last.name()).as("the stream ends with the batch totals").isEqualTo("batch");
            assertThat(last.data().at("/counts/done").asInt()).isEqualTo(2);
            Map<String, List<String>> statusesByItem = new LinkedHashMap<>();
            events.stream().filter(e -> e.name().equals("job")).forEach(e -> statusesByItem
                    .computeIfAbsent(e.data().get("id").asText(), k -> new ArrayList<>()).add(e.data().get("status").asText()));
            assertThat(statusesByItem).as("events for both items").hasSize(2);
            statusesByItem.forEach((id, statuses) -> {
                assertThat(statuses).as("states of %s, in order, each once", id).doesNotHaveDuplicates();
                assertThat(statuses).as("states of %s end in done", id).endsWith("done");
                assertThat(List.of("queued", "processing", "done")).as("states of %s follow the lifecycle", id)
                        .containsSubsequence(statuses);
            });
        }
    }

    @Test
    void events_of_a_finished_batch_replay_its_state_and_close_at_once() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode batch = submitBatch(server, 2);
            server.runNextJob();
            server.runNextJob();

            HttpResponse<String> response = server.getAsync("/api/v1/batches/" + batch.get("id").asText() + "/events")
                    .get(30, TimeUnit.SECONDS);

            assertThat(events(response.body())).extracting(e -> e.name() + ":" + e.data().path("status").asText(""))
                    .containsExactly("job:done", "job:done", "batch:");
        }
    }

    @Test
    void the_totals_carry_an_id_and_a_reconnection_sending_it_back_is_told_there_is_no_more() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode batch = submitBatch(server, 2);
            server.runNextJob();
            server.runNextJob();
            String path = "/api/v1/batches/" + batch.get("id").asText() + "/events";

            String stream = server.getAsync(path).get(30, TimeUnit.SECONDS).body();
            HttpResponse<String> again = server.get(path, "Last-Event-ID", "finished");

            assertThat(stream).as("the last event").contains("id: finished\nevent: batch\n");
            assertThat(again.statusCode()).as("an EventSource reconnecting after the end, which 204 stops")
                    .isEqualTo(204);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void the_204_that_tells_a_reconnection_there_is_no_more_has_no_content_type() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode batch = submitBatch(server, 2);
            server.runNextJob();
            server.runNextJob();
            String path = "/api/v1/batches/" + batch.get("id").asText() + "/events";

            HttpResponse<String> again = server.get(path, "Last-Event-ID", "finished");

            assertThat(again.statusCode()).as("an EventSource reconnecting after the end").isEqualTo(204);
            assertThat(again.headers().firstValue("Content-Type")).as("Content-Type of a 204, which has no body")
                    .isEmpty();
        }
    }

    @Test
    void events_end_once_the_items_still_waited_for_are_deleted() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode batch = submitBatch(server, 2);
            String deleted = batch.at("/items/1/id").asText();
            HttpResponse<InputStream> response = server.sendAsync(
                    server.request("/api/v1/batches/" + batch.get("id").asText() + "/events").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(30, TimeUnit.SECONDS);
            BufferedReader stream = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            StringBuilder body = new StringBuilder();
            // Both items' current states are on the wire: the stream is following the batch.
            while (body.toString().split("event: job", -1).length - 1 < 2) {
                body.append(stream.readLine()).append('\n');
            }
            server.runNextJob();
            assertThat(server.delete("/api/v1/thumbnails/" + deleted).statusCode()).as("delete").isEqualTo(200);

            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> stream.lines()
                    .reduce(new StringBuilder(), (b, line) -> b.append(line).append('\n'), StringBuilder::append)
                    .toString());
            body.append(rest.get(10, TimeUnit.SECONDS));

            List<Event> events = events(body.toString());
            Event last = events.get(events.size() - 1);
            assertThat(last.name()).as("the stream ends with the batch's totals: %s", body).isEqualTo("batch");
            assertThat(last.data().get("finished").asBoolean()).as("finished: the item left is done").isTrue();
            assertThat(last.data().at("/counts/done").asInt()).isEqualTo(1);
            assertThat(last.data().get("items")).as("the items left").hasSize(1);
        }
    }
}
