/**
 * The REST API's URL layout ({@link io.thumbnail.server.internal.api.Paths}), in one place so that routes, views,
 * Location headers and the access checks agree. Depends on nothing of the server's.
 */
package io.thumbnail.server.internal.api;
