/**
 * The public API of the thumbnail library, and all of it: {@link io.thumbnail.Thumbnailer} makes one thumbnail in the
 * calling thread; {@link io.thumbnail.ThumbnailService} (built by {@link io.thumbnail.ThumbnailServiceBuilder}) runs
 * durable jobs on a pool of workers. Everything else here is a value type (records and enums: specs, jobs, results,
 * errors, limits), a listener or the {@link io.thumbnail.Publisher} plug-in interface. The service classes assemble
 * the internal packages; nothing in {@code io.thumbnail.internal} depends on them, and no class outside core may live
 * in this package.
 */
package io.thumbnail;
