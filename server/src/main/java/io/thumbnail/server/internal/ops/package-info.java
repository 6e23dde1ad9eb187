/**
 * What operators see: the metrics {@code /metrics} shows (JVM meters bound late, HTTP requests, the job system
 * through its listener and stats). May use core's public API; never core's internals. Not an API; do not depend on it.
 */
package io.thumbnail.server.internal.ops;
