/**
 * The resampling kernel both resizers share (the RGB one in {@code image}, the YCbCr one in {@code image.jpeg}):
 * Lanczos3 taps and the box stage's gap, so that both make the same pixels. Uses nothing else of the project.
 * Internal: not part of the public API.
 */
package io.thumbnail.internal.image.kernel;
