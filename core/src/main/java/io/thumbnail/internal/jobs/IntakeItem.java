package io.thumbnail.internal.jobs;

import io.thumbnail.Job;

/**
 * A job the intake drafted, and the original it stores with it: its bytes in memory ({@code callersBytes} when the array
 * is the caller's own, which it may change after submit returns, and was not handed over), or the upload whose bytes are
 * stored as they are; neither for a URL source, fetched later, or a job refused.
 */
record IntakeItem(byte[] bytes, boolean callersBytes, ImageInput.Upload upload, Job job) {
    /** A job that stores no original. */
    IntakeItem(Job job) {
        this(null, false, null, job);
    }

    IntakeItem(byte[] bytes, boolean callersBytes, Job job) {
        this(bytes, callersBytes, null, job);
    }

    IntakeItem(ImageInput.Upload upload, Job job) {
        this(null, false, upload, job);
    }

    boolean hasOriginal() {
        return bytes != null || upload != null;
    }

    /** What this item's original is stored from: items of one image share it, and it is stored once. */
    Object original() {
        return upload != null ? upload : bytes;
    }
}
