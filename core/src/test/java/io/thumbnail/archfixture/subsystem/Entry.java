package io.thumbnail.archfixture.subsystem;

/** The one entry point of a fixture subsystem. */
public final class Entry {
    private Entry() {
    }

    public static int run() {
        return Leaked.step();
    }
}
