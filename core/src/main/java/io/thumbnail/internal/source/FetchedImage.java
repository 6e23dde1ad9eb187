package io.thumbnail.internal.source;

import io.thumbnail.ImageFormat;

import java.net.URI;

/**
 * The bytes behind a URL, known to be an image.
 *
 * @param url    the URL the bytes finally came from (after redirects, canonical form)
 * @param bytes  the body
 * @param format the format sniffed from the bytes (never from Content-Type or the URL)
 */
public record FetchedImage(URI url, byte[] bytes, ImageFormat format) {
}
