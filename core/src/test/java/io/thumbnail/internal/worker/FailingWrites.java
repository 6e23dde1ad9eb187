package io.thumbnail.internal.worker;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job store whose writes of the kinds a test names ({@code "complete"}, {@code "retry"}: the store's method names)
 * fail as in a brief outage of the database, as many times as the test says: before they reach the database, or
 * after it committed them (the connection broke before the answer came back). Every other call, and every write once
 * those have failed, is the real store's.
 */
final class FailingWrites {
    private final JobStore real;
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> committedFailuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    FailingWrites(JobStore real) {
        this.real = real;
    }

    /** The next {@code n} writes named {@code write} fail without reaching the database. */
    void failNext(String write, int n) {
        failuresLeft.put(write, new AtomicInteger(n));
    }

    /** The next {@code n} writes named {@code write} are committed, then fail as if their answer was lost. */
    void commitThenFailNext(String write, int n) {
        committedFailuresLeft.put(write, new AtomicInteger(n));
    }

    /** How many writes named {@code write} were asked for, failed or not. */
    int calls(String write) {
        AtomicInteger n = calls.get(write);
        return n == null ? 0 : n.get();
    }

    /** The store to hand the code under test. */
    JobStore store() {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> call(method, args));
    }

    private Object call(Method method, Object[] args) throws Throwable {
        String name = method.getName();
        calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (take(failuresLeft, name)) {
            throw outage();
        }
        Object answer;
        try {
            answer = method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (take(committedFailuresLeft, name)) {
            throw outage();
        }
        return answer;
    }

    private static boolean take(Map<String, AtomicInteger> left, String name) {
        AtomicInteger n = left.get(name);
        return n != null && n.getAndUpdate(k -> Math.max(0, k - 1)) > 0;
    }

    private static StoreException outage() {
        return new StoreException("the job database failed: connection lost", new IOException("Connection reset"));
    }
}
