/**
 * The server's internals: request parsing, JSON views, error rendering, metrics. Not an API; do not depend on it.
 */
package io.thumbnail.server.internal.http;
