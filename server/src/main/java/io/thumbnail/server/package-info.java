/**
 * The REST server and the runnable jar over {@code io.thumbnail}: {@link io.thumbnail.server.Main} (configuration,
 * wiring, the batch command line), {@link io.thumbnail.server.ThumbnailServer} (the Javalin app and its routes) and
 * {@link io.thumbnail.server.ServerConfig}. Handlers parse, call core and render; no image or job logic lives here.
 */
package io.thumbnail.server;
