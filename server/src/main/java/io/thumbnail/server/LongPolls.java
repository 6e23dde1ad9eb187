package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.server.internal.security.AccessGuard;
import io.thumbnail.server.internal.security.WaitLimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A request answered once a wait on the service ends ({@code wait=N}), no thread held meanwhile: the client holds one
 * of its {@link WaitLimit} slots from the start of the wait to the answer, however it ends. When the client asks for
 * more waits than it may have, its oldest is answered at once with things as they stand, as a wait that ran out is.
 */
final class LongPolls {
    private LongPolls() {
    }

    /**
     * Starts {@code awaiting} for {@code wait} and answers with what it completes with; a wait refused at once frees
     * the slot too.
     *
     * @param awaiting the wait on the service for a given time: for {@link Duration#ZERO}, things as they stand
     */
    static <T> void answerWhenDone(Context ctx, WaitLimit waits, Duration wait,
                                   Function<Duration, CompletableFuture<T>> awaiting, Consumer<T> answer) {
        CompletableFuture<Void> endedEarly = new CompletableFuture<>();
        WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx), () -> endedEarly.complete(null));
        ctx.future(() -> {
            CompletableFuture<T> finished;
            try {
                finished = awaiting.apply(wait);
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
            CompletableFuture<T> now = endedEarly.thenCompose(ended -> awaiting.apply(Duration.ZERO));
            return finished.applyToEither(now, Function.identity()).thenAccept(answer)
                    .whenComplete((done, failure) -> slot.close());
        });
    }
}
