/**
 * Blobs in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, Cloudflare R2...), shared by several nodes: the
 * {@link io.thumbnail.internal.blob.s3.S3BlobStore}, its requests to the bucket, its removals and quarantine, the
 * location it is configured with, and the client settings that work across such stores. Nothing here is loaded unless
 * an S3 location is configured: the SDK costs most of a second to load, which the default start (the local disk) does
 * not pay. Internal: not part of the public API.
 */
package io.thumbnail.internal.blob.s3;
