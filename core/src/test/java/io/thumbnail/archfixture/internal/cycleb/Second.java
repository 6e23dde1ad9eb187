package io.thumbnail.archfixture.internal.cycleb;

import io.thumbnail.archfixture.internal.cyclea.First;

/** The other half of the package cycle: uses {@link First}, which uses it. */
public final class Second {
    private Second() {
    }

    public static int depth() {
        return First.base() + 1;
    }
}
