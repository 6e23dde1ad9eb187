package io.thumbnail.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.json.JavalinJackson;
import io.javalin.json.JsonMapper;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.stream.Stream;

/**
 * The JSON every answer is written with (nulls left out), built at its first use rather than with the app:
 * building Jackson and its first serializers loads a few hundred classes, and the first answer a deployment waits
 * for ({@code /health}, written by hand) does not need it.
 */
final class ServerJson implements JsonMapper {
    /** Initialised by the JVM on first access, once, thread-safely. */
    static final class Holder {
        static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.NON_NULL))
                .build();
        static final JavalinJackson JAVALIN = new JavalinJackson(MAPPER, false);
    }

    static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /** Builds the mapper and the serializers of records like the ones every answer is made of. */
    static void warmUp() {
        HealthController.Health sample = new HealthController.Health("up", "node", "0", new HealthController.Checks(
                new HealthController.Database("up", "ok", "ok"), new HealthController.Blobs("up", "ok", 0),
                new HealthController.Disk("up", 1, 1),
                new HealthController.Queue("up", 0L, 0L, 0L, 1), new HealthController.Workers("up", 1, 0, 0),
                new HealthController.Check("up")));
        try {
            Holder.MAPPER.writeValueAsBytes(sample);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the health answer cannot be written as JSON", e);
        }
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        return Holder.JAVALIN.toJsonString(obj, type);
    }

    @Override
    public InputStream toJsonStream(Object obj, Type type) {
        return Holder.JAVALIN.toJsonStream(obj, type);
    }

    @Override
    public void writeToOutputStream(Stream<?> stream, OutputStream outputStream) {
        Holder.JAVALIN.writeToOutputStream(stream, outputStream);
    }

    @Override
    public <T> T fromJsonString(String json, Type targetType) {
        return Holder.JAVALIN.fromJsonString(json, targetType);
    }

    @Override
    public <T> T fromJsonStream(InputStream json, Type targetType) {
        return Holder.JAVALIN.fromJsonStream(json, targetType);
    }
}
