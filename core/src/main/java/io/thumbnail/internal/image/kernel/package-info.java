/**
 * The resampling kernel both resizers share (the RGB one in {@code image}, the YCbCr one in {@code image.jpeg}):
 * Lanczos3 taps and the box stage's gap, so that both make the same pixels. Both give the box stage's last block,
 * where the image is not a whole number of blocks wide or high, a tap weight for the part of a block it covers.
 * Uses nothing else of the project. Internal: not part of the public API.
 */
package io.thumbnail.internal.image.kernel;
