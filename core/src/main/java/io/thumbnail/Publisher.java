package io.thumbnail;

/**
 * Publishes finished thumbnails somewhere public, under a target name jobs ask for
 * ({@link SubmitOptions#publishTo}). Register one with {@link ThumbnailServiceBuilder#publisher}; Imgur is built in
 * ({@link ThumbnailServiceBuilder#imgurClientId}).
 *
 * <pre>{@code
 * ThumbnailService.builder().publisher(new Publisher() {
 *     public String target() { return "gallery"; }
 *     public Publication publish(byte[] image, ImageFormat format) {
 *         URI link = gallery.upload(image, format.mimeType());
 *         return Publication.published("gallery", link.toString(), null);
 *     }
 * }).build();
 * }</pre>
 *
 * <p>A publisher runs on the service's publishing threads, never on a worker, after the thumbnail is done; it may take
 * its time (retries, rate limits) but should bound its waits: one still running after 5 minutes is interrupted and the
 * publication recorded failed ({@code publish_failed}), whatever it returns later. What it returns or throws is
 * recorded on the job's {@link Job#publication()}; a failure never fails the job. Of several services sharing a
 * database, one alone publishes each job's thumbnail: the one holding the publication's lease, which it renews while
 * the publisher runs. A publication cut short by a crash or a shutdown is published again, at the next start or by
 * another service once the lease runs out, so a publisher must cope with being asked twice for one job.
 */
public interface Publisher {
    /** The name jobs ask for this publisher by: lower-case letters, digits and {@code -}, for example {@code imgur}. */
    String target();

    /**
     * Publishes {@code image}, a finished thumbnail in {@code format}; returns where, as
     * {@link Publication#published}.
     *
     * @throws ThumbnailException {@code publish_failed} with a message that names the cause
     */
    Publication publish(byte[] image, ImageFormat format);
}
