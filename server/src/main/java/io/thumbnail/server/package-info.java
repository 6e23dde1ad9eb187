/**
 * The REST server and the runnable jar over {@code io.thumbnail}: {@link io.thumbnail.server.Main} (the command line:
 * options, {@code --help}, the batch command), {@code ServerProcess} (the start, and the stop on SIGTERM),
 * {@code ServerStartup} (the order in which the service and the server come up),
 * {@link io.thumbnail.server.ThumbnailServer} (the Javalin app and its routes) and
 * {@link io.thumbnail.server.ServerConfig}. Handlers parse, call core and render; no image or job logic lives here.
 */
package io.thumbnail.server;
