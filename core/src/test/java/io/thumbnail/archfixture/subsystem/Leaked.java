package io.thumbnail.archfixture.subsystem;

/** A part of the fixture subsystem made public by mistake: what {@code onlyPublicClass} refuses. */
public final class Leaked {
    private Leaked() {
    }

    static int step() {
        return 1;
    }
}
