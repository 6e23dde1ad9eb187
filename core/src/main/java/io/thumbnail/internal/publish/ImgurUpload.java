package io.thumbnail.internal.publish;

/**
 * An image Imgur accepted.
 *
 * @param link       the public URL of the image, for example {@code https://i.imgur.com/abc123.png}
 * @param deletehash the secret that deletes the anonymous upload ({@code DELETE /3/image/{deletehash}})
 */
public record ImgurUpload(String link, String deletehash) {
}
