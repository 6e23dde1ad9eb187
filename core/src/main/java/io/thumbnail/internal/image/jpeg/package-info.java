/**
 * The DCT-domain JPEG decoder: shrink on load for plain 8-bit JPEGs, decoding block means straight from the
 * coefficients (or the JDK reader's raw raster) to a few times the thumbnail's size, then scaling in YCbCr. One entry
 * point, {@link io.thumbnail.internal.image.jpeg.ReducingJpegDecoder}; everything else is package-private. May use
 * {@code image.header} (marker codes, bounded streams) and {@code image.kernel}; never {@code image} itself, which
 * uses it. Internal: not part of the public API.
 */
package io.thumbnail.internal.image.jpeg;
