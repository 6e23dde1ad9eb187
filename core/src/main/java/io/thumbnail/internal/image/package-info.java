/**
 * Decode, resize, encode: {@link io.thumbnail.internal.image.ImagePipeline} (behind the {@link
 * io.thumbnail.internal.image.Pipeline} interface the workers call) checks a source's header against the limits,
 * decodes it (ImageIO, TwelveMonkeys, the WebP natives, the JPEG fast path), turns it upright, resizes it with the
 * Lanczos3 kernel and encodes it. May use the public value types and the subsystems below it: {@code image.header},
 * {@code image.jpeg}, {@code image.kernel}; none of them uses it. Internal: not part of the public API.
 */
package io.thumbnail.internal.image;
