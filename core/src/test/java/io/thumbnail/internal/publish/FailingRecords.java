package io.thumbnail.internal.publish;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job store whose records of publications' outcomes fail as in a brief outage of the database, as many times as a
 * test says; every other call, and every record once those have failed, is the real store's.
 */
final class FailingRecords {
    private final JobStore real;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger records = new AtomicInteger();

    FailingRecords(JobStore real) {
        this.real = real;
    }

    /** The next {@code n} records of an outcome fail. */
    void failNext(int n) {
        failuresLeft.set(n);
    }

    /** How many records of an outcome were asked for, failed or not. */
    int records() {
        return records.get();
    }

    /** The store to hand the code under test. */
    JobStore store() {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> call(method, args));
    }

    private Object call(Method method, Object[] args) throws Throwable {
        if (method.getName().equals("recordPublication")) {
            records.incrementAndGet();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreException("the job database failed: connection lost",
                        new IOException("Connection reset"));
            }
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
