/**
 * Who may call what, and how much: API keys (stored hashed) and the access guard, rate limits per client, limits on
 * failed authentication, uploads in flight and waiting requests, connection bounds, the headers every response
 * carries, signed URLs, and the refusal these raise. May use core's public value types and the API's URL layout
 * ({@code internal.api}) only: nothing in here knows about HTTP routes or views. Not an API; do not depend on it.
 */
package io.thumbnail.server.internal.security;
