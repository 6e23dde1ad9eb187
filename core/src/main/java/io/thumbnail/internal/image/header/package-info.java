/**
 * What an image's bytes say before any pixel is decoded: {@link io.thumbnail.internal.image.header.FormatSniffer}
 * (the format from the magic bytes), {@link io.thumbnail.internal.image.header.HeaderReader} (size, frames,
 * orientation, completeness and embedded profile, one reader per format behind it), {@link
 * io.thumbnail.internal.image.header.SourceCheck} (the limits, checked against the header before the expensive work),
 * the JPEG marker codes, and the bounded byte views decoders read through. May use only the public value types
 * (formats, limits, errors): it is the bottom of the image subsystem. Internal: not part of the public API.
 */
package io.thumbnail.internal.image.header;
