/**
 * HTTP for the server's routes: request options into core values, request bodies read without a waiting thread
 * (multipart streamed part by part), JSON views of jobs and batches, server-sent events, the one place exceptions
 * become error responses, Jetty's own error handler, served jar assets and the request thread pools. May use core's
 * public API and {@code server.internal.security}; never core's internals. Not an API; do not depend on it.
 */
package io.thumbnail.server.internal.http;
