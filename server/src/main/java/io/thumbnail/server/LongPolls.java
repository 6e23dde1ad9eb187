package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.server.internal.security.AccessGuard;
import io.thumbnail.server.internal.security.WaitLimit;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A request answered once a wait on the service ends ({@code wait=N}), no thread held meanwhile: the client holds one
 * of its {@link WaitLimit} slots from the start of the wait to the answer, however it ends.
 */
final class LongPolls {
    private LongPolls() {
    }

    /** Starts {@code wait} and answers with what it completes with; a wait refused at once frees the slot too. */
    static <T> void answerWhenDone(Context ctx, WaitLimit waits, Supplier<CompletableFuture<T>> wait,
                                   Consumer<T> answer) {
        WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx));
        ctx.future(() -> {
            CompletableFuture<T> finished;
            try {
                finished = wait.get();
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
            return finished.thenAccept(answer).whenComplete((done, failure) -> slot.close());
        });
    }
}
