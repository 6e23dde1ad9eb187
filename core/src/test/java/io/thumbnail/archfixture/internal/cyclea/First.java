package io.thumbnail.archfixture.internal.cyclea;

import io.thumbnail.archfixture.internal.cycleb.Second;

/** Half of a package cycle: uses {@link Second}, which uses it back. */
public final class First {
    private First() {
    }

    public static int depth() {
        return Second.depth() + 1;
    }

    public static int base() {
        return 0;
    }
}
