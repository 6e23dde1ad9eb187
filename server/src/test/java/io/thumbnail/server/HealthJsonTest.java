package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The health answer is written by hand (so the first request does not wait for Jackson): it must match Jackson's. */
class HealthJsonTest {

    @Test
    void health_json_written_by_hand_is_what_jackson_writes() throws Exception {
        HealthController.Health health = new HealthController.Health("down", "web-1.example_7f-2c1a",
                "0.1.0-SNAPSHOT", new HealthController.Checks(
                new HealthController.Database("down", "damaged", "failing"),
                new HealthController.Blobs("up", "ok", 40),
                new HealthController.Disk("down", 12_345_678_901L, 104_857_600L),
                new HealthController.Queue("up", 3L, 2L, 1L, 10_000),
                new HealthController.Workers("up", 4, 1, 2),
                new HealthController.Check("unavailable")));

        String byHand = health.json();

        assertThat(byHand).as("the hand-written health JSON, byte for byte")
                .isEqualTo(ServerJson.mapper().writeValueAsString(health));
        JsonNode parsed = ServerJson.mapper().readTree(byHand);
        assertThat(parsed.at("/checks/disk/freeBytes").asLong()).as("a long stays a JSON number")
                .isEqualTo(12_345_678_901L);
        assertThat(parsed.at("/checks/blobs/quarantinedFiles").asLong()).isEqualTo(40);
        assertThat(parsed.get("node").asText()).as("the node id, every character it may have").isEqualTo(
                "web-1.example_7f-2c1a");
    }

    @Test
    void health_json_written_by_hand_leaves_out_the_counts_of_a_queue_that_cannot_be_counted() throws Exception {
        HealthController.Health health = new HealthController.Health("down", "web-1", "0.1.0-SNAPSHOT",
                new HealthController.Checks(new HealthController.Database("down", "ok", "ok"),
                        new HealthController.Blobs("up", "ok", 0), new HealthController.Disk("up", 1, 1),
                        new HealthController.Queue("unknown", null, null, null, 10_000),
                        new HealthController.Workers("up", 4, 0, 0), new HealthController.Check("up")));

        String byHand = health.json();

        assertThat(byHand).as("the hand-written health JSON, byte for byte")
                .isEqualTo(ServerJson.mapper().writeValueAsString(health));
        assertThat(ServerJson.mapper().readTree(byHand).at("/checks/queue").toString()).as("the queue")
                .isEqualTo("{\"status\":\"unknown\",\"capacity\":10000}");
    }
}
