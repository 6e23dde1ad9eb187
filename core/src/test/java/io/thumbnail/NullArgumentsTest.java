package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A null where the API wants a job's id, a file, a stream or bytes is a mistake in the caller's code: it is told at
 * once with a NullPointerException naming the parameter, never a JVM message about some field deep inside.
 */
class NullArgumentsTest {
    @TempDir
    Path dir;

    private ThumbnailService service;

    @BeforeEach
    void open() {
        service = ThumbnailService.builder().dataDir(dir).workers(1).build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void every_service_method_taking_a_job_or_batch_id_names_a_null_id() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Method method : ThumbnailService.class.getMethods()) {
            Class<?>[] types = method.getParameterTypes();
            if (Modifier.isStatic(method.getModifiers()) || types.length == 0 || types[0] != UUID.class) {
                continue;
            }
            Object[] args = new Object[types.length];
            for (int i = 1; i < types.length; i++) {
                args[i] = usable(types[i]);
            }
            assertThat(thrownBy(method, service, args)).as("what %s throws for a null id", method)
                    .isInstanceOf(NullPointerException.class).hasMessage("id");
            checked.add(method.getName());
        }
        assertThat(checked).as("the methods checked")
                .contains("get", "delete", "await", "awaitAsync", "awaitBatch", "subscribeBatch", "thumbnailBytes",
                        "openThumbnail", "batch");
    }

    @Test
    void the_thumbnailer_names_a_null_source() {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        ThumbnailSpec spec = ThumbnailSpec.box(100, 100);

        assertThat(caught(() -> thumbnailer.thumbnail((Path) null, spec))).as("a null file")
                .isInstanceOf(NullPointerException.class).hasMessage("file");
        assertThat(caught(() -> thumbnailer.thumbnail((InputStream) null, spec))).as("a null stream")
                .isInstanceOf(NullPointerException.class).hasMessage("in");
        assertThat(caught(() -> thumbnailer.thumbnail((byte[]) null, spec))).as("null bytes")
                .isInstanceOf(NullPointerException.class).hasMessage("data");
    }

    private static Object usable(Class<?> type) {
        if (type == Duration.class) {
            return Duration.ofMillis(1);
        }
        if (type == Executor.class) {
            return (Executor) Runnable::run;
        }
        if (type == BatchListener.class) {
            return new BatchListener() {
                @Override
                public void onItem(Job item) {
                }

                @Override
                public void onFinished(Batch batch) {
                }

                @Override
                public void onEnded(ThumbnailException reason) {
                }
            };
        }
        if (type == ImageFormat.class) {
            return ImageFormat.JPEG;
        }
        return null; // the owner: null sees every owner's jobs
    }

    private static Throwable thrownBy(Method method, Object target, Object[] args) throws IllegalAccessException {
        try {
            method.invoke(target, args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    private static Throwable caught(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
