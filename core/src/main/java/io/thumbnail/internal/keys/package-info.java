/**
 * The keys a service derives from the random secret its job store keeps: one per purpose (signing URLs, signing
 * webhooks), the same on every node sharing the store and after every restart. Uses only the store.
 * Internal: not part of the public API.
 */
package io.thumbnail.internal.keys;
