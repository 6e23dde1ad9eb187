package io.thumbnail.internal.publish;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailException;

/** Publishes a finished thumbnail somewhere public; throws {@code publish_failed} with a clear message otherwise. */
@FunctionalInterface
public interface Publisher {
    Publication publish(String target, byte[] image, ImageFormat format);

    /** Publishes to Imgur; any other target is refused. */
    static Publisher imgur(ImgurPublisher imgur) {
        return (target, image, format) -> {
            if (!Publication.IMGUR.equals(target)) {
                throw new ThumbnailException(ErrorCode.PUBLISH_FAILED,
                        "unknown publish target '" + target + "'");
            }
            ImgurUpload upload = imgur.publish(image, format);
            return new Publication(target, upload.link(), upload.deletehash(), null);
        };
    }
}
