/**
 * Benchmarks, not tests: image quality and speed against Thumbnailator, the job system's overhead, load, WebP output
 * and cold start of the jar as a black box; each prints figures (BENCHMARKS.md has the method and one command per
 * benchmark). May use core's public API and what core's test-jar offers benchmarks ({@code io.thumbnail.testing}, the
 * test hooks in {@code io.thumbnail}, the quality references); never {@code io.thumbnail.internal}.
 */
package io.thumbnail.bench;
