package io.thumbnail.server;

import io.javalin.json.JavalinJackson;
import io.javalin.json.JsonMapper;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.stream.Stream;

/**
 * Javalin's JSON mapper over {@link ResponseJson#MAPPER}, built at its first use rather than with the app: building
 * Jackson loads a few hundred classes, and the first answer a deployment waits for ({@code /health}) does not need it.
 */
final class LazyJsonMapper implements JsonMapper {

    /** Initialised by the JVM on first access, once, thread-safely. */
    private static final class Jackson {
        static final JavalinJackson MAPPER = new JavalinJackson(ResponseJson.MAPPER, false);
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        return Jackson.MAPPER.toJsonString(obj, type);
    }

    @Override
    public InputStream toJsonStream(Object obj, Type type) {
        return Jackson.MAPPER.toJsonStream(obj, type);
    }

    @Override
    public void writeToOutputStream(Stream<?> stream, OutputStream outputStream) {
        Jackson.MAPPER.writeToOutputStream(stream, outputStream);
    }

    @Override
    public <T> T fromJsonString(String json, Type targetType) {
        return Jackson.MAPPER.fromJsonString(json, targetType);
    }

    @Override
    public <T> T fromJsonStream(InputStream json, Type targetType) {
        return Jackson.MAPPER.fromJsonStream(json, targetType);
    }
}
