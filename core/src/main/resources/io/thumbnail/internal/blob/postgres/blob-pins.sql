-- Pins on blobs, shared by every node of one database: a row per pin held. A node writes one (and commits it)
-- before it writes or looks for a blob a job will name, and deletes it once the job's row is committed; a node
-- deciding to remove a blob takes the hash's advisory lock, finds no live row here and no job naming the hash, and
-- removes the blob before it lets go of the lock. Rows of a node that died are released when it starts again, or
-- ignored once older than the pins' lifetime.
CREATE TABLE IF NOT EXISTS blob_pins (
    id        uuid        PRIMARY KEY,
    sha256    text        NOT NULL,
    node_id   text        NOT NULL,
    pinned_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS blob_pins_by_sha256 ON blob_pins (sha256);
CREATE INDEX IF NOT EXISTS blob_pins_by_node ON blob_pins (node_id);
