/**
 * Images named by URL: fetched under the SSRF guard (scheme, resolved addresses pinned and checked against blocked
 * ranges, redirects re-checked, size and time bounded) and sniffed before a worker decodes them. May use the public
 * value types, {@code internal.image} and {@code internal.image.header}. Internal: not part of the public API.
 */
package io.thumbnail.internal.source;
