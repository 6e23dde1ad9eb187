package io.thumbnail.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper every answer is written with (nulls left out). Building it and its first serializers loads a few
 * hundred Jackson classes, so {@link Main} has {@link #warmUp()} do that on the side once the first request (as a
 * rule a {@code /health}, which needs no mapper) has been answered.
 */
final class ResponseJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private ResponseJson() {
    }

    /** Builds the mapper and the serializers of records like the ones every answer is made of. */
    static void warmUp() {
        HealthController.Health sample = new HealthController.Health("up", "node", new HealthController.Checks(
                new HealthController.Database("up", "ok", "ok"), new HealthController.Blobs("up", "ok", 0),
                new HealthController.Disk("up", 1, 1),
                new HealthController.Queue("up", 0, 0, 1), new HealthController.Workers("up", 1, 0),
                new HealthController.Check("up")));
        try {
            MAPPER.writeValueAsBytes(sample);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the health answer cannot be written as JSON", e);
        }
    }
}
