package io.thumbnail.server;

import io.thumbnail.Limits;
import io.thumbnail.ServiceDefaults;
import io.thumbnail.ThumbnailSpec;

import java.time.Duration;
import java.util.List;

import static io.thumbnail.server.ServerOption.bytes;
import static io.thumbnail.server.ServerOption.duration;
import static io.thumbnail.server.ServerOption.number;
import static io.thumbnail.server.ServerOption.onOff;
import static io.thumbnail.server.ServerOption.text;

/**
 * Every option of the server, declared once: parsing ({@link ServerConfig#parse}), {@code --help}
 * ({@link OptionsHelp}) and README's configuration table (held to this list, row for row, by a test) all read it.
 * A default the library also has is the library's constant ({@link ServiceDefaults}, {@link Limits},
 * {@link ThumbnailSpec}), so it is stated once.
 */
final class ServerOptions {
    private static final String RATE = "a rate above `0` up to `1000000`, such as `0.5`";

    static final ServerOption HOST = text("host", "0.0.0.0", "a host name or IP address", "interface to listen on");
    static final ServerOption PORT = number("port", 8080, 0, 65535, "TCP port (`0` picks a free one)");
    static final ServerOption DATA_DIR = text("data-dir", ServiceDefaults.DATA_DIR.toString(), "a directory",
            "where the job database and image files live");
    static final ServerOption DATABASE = text("database", "", "a JDBC URL:"
            + " `jdbc:postgresql://HOST:PORT/DATABASE?user=...&password=...`", "the PostgreSQL database whose queue"
            + " this node shares with the others on it ([Several nodes](docs/operations.md#several-nodes)); its"
            + " password is never logged").shownAs("SQLite in the data directory");
    static final ServerOption NODE_ID = text("node-id", "", "1 to 64 letters, digits, `.`, `_` or `-`", "this"
            + " node's name in `/health`, logs and the jobs it runs; give each node on a database its own")
            .shownAs("host name and a random suffix");
    static final ServerOption BLOB_STORE = text("blob-store", "",
            "`s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true`", "keep originals and thumbnails in a"
                    + " bucket of S3-compatible storage, which several nodes can share; the keys come from"
                    + " `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` in the environment"
                    + " ([Operations](docs/operations.md#blobs-in-s3-compatible-storage))")
            .shownAs("`blobs/` in the data directory");
    static final ServerOption WORKERS = number("workers", ServiceDefaults.workers(), 1, ServiceDefaults.MAX_WORKERS,
            "threads making thumbnails").shownAs("number of cores");
    static final ServerOption WORKER_NICE = number("worker-nice", 10, 0, ServiceDefaults.MAX_WORKER_NICE,
            "nice value the worker threads (and those storing thumbnails) give themselves on Linux, so request threads get"
                    + " a core first (`0` leaves them alone; see [Operations](docs/operations.md#worker-priority))");
    static final ServerOption MAX_UPLOAD_BYTES = bytes("max-upload-bytes", Limits.DEFAULT_MAX_INPUT_BYTES,
            "largest request body, checked while it streams in (413 beyond)");
    static final ServerOption MAX_PIXELS = number("max-pixels", Limits.DEFAULT_MAX_PIXELS, 1, Long.MAX_VALUE,
            "largest source image in pixels, every frame of an animation counted (422 beyond)");
    static final ServerOption MAX_OUTPUT_SIDE = number("max-output-side", Limits.DEFAULT_MAX_OUTPUT_SIDE, 1,
            ThumbnailSpec.MAX_SIDE, "largest thumbnail side a request may ask for");
    static final ServerOption DEFAULT_SIZE = text("default-size",
            ThumbnailSpec.DEFAULT_WIDTH + "x" + ThumbnailSpec.DEFAULT_HEIGHT,
            "`WxH`, each side `1` to `--max-output-side`", "the box a request naming neither `width` nor `height`"
                    + " gets; its other options still apply (`fit=cover` fills this box); the default shrinks to a smaller"
                    + " `--max-output-side`");
    static final ServerOption PRESET = text("preset", "", "`NAME=SPEC`, SPEC a size `WxH` then any of `contain`,"
            + " `cover`, `fill`, `auto`, `jpeg`, `png`, `webp`, `quality=N`, `gravity=NAME`, separated by commas;"
            + " repeat the flag for more (the variable separates them with `;`)", "named options a request asks for"
            + " with `preset=NAME`, such as `card=400x300,cover,webp` ([Sizes and presets](docs/api.md#sizes-and-presets))")
            .repeated();
    static final ServerOption TTL = duration("ttl", null, "delete jobs older than this").orOff();
    static final ServerOption JOB_TIMEOUT = duration("job-timeout", ServiceDefaults.JOB_TIMEOUT,
            "a job running longer fails with `timeout` (not retried) and its worker thread is replaced");
    static final ServerOption LEASE = duration("lease", ServiceDefaults.LEASE, "how long a running job (or a"
            + " publication under way) stays its node's without a heartbeat (sent every third of it): a node that dies"
            + " has its running jobs taken back by the others this long after its last heartbeat");
    static final ServerOption QUEUE_CAPACITY = number("queue-capacity", ServiceDefaults.QUEUE_CAPACITY, 1,
            Integer.MAX_VALUE, "queued jobs before uploads get 429 `queue_full` with `Retry-After`");
    static final ServerOption MAX_QUEUED_PER_KEY = text("max-queued-per-key",
            ServiceDefaults.MAX_QUEUED_PER_OWNER_PERCENT + "%", "`1` to `--queue-capacity`, or `1%` to `100%` of it",
            "queued jobs one API key may have before its uploads get 429 `queue_full`");
    static final ServerOption ACCEPT_EMPTY_DATABASE = onOff("accept-empty-database", "start even though `jobs.db` is"
            + " missing or empty while `blobs/` holds images (they wait in `blobs/quarantine` for "
            + ServiceDefaults.QUARANTINE_GRACE.toDays() + " days; a restored database gets them back)");
    static final ServerOption MAX_ATTEMPTS = number("max-attempts", ServiceDefaults.MAX_ATTEMPTS, 1,
            ServiceDefaults.MAX_MAX_ATTEMPTS, "tries per job before a transient error fails it");
    static final ServerOption PRIORITY_AGING = duration("priority-aging", ServiceDefaults.PRIORITY_AGING,
            "a `priority=low` job queued this long is served as `normal`, so other work never starves it");
    static final ServerOption MIN_FREE_BYTES = bytes("min-free-bytes", 100L << 20,
            "`/health` reports down below this much free disk in the data directory");
    static final ServerOption MAX_URLS = number("max-urls", 100, 1, 10_000,
            "most image URLs one JSON request may name ([Images by URL](docs/url-sources.md))");
    static final ServerOption ALLOW_PRIVATE_SOURCES = onOff("allow-private-sources", "let image URLs reach loopback,"
            + " private and other internal addresses, for local use"
            + " ([the SSRF guard](docs/url-sources.md#the-ssrf-guard))");
    static final ServerOption SOURCE_ALLOWLIST = text("source-allowlist", "", "host names separated by commas,"
            + " `*.example.com` for its subdomains", "only fetch image URLs from these hosts, such as"
            + " `images.example.com,*.cdn.example.com` (the address checks still apply)");
    static final ServerOption IMGUR_CLIENT_ID = text("imgur-client-id", "", "an Imgur Client-ID", "an Imgur"
            + " application's Client-ID; enables `publish=imgur`"
            + " ([Publishing to Imgur](docs/url-sources.md#publishing-to-imgur))");
    static final ServerOption IMGUR_BASE_URL = text("imgur-base-url", ServiceDefaults.IMGUR_BASE_URL.toString(),
            "an http(s) URL", "Imgur's API root (the tests point it at a local stand-in)");
    static final ServerOption WEBHOOK_SECRET = text("webhook-secret", "", "at least 16 characters",
            "the key webhooks are signed with (`X-Thumbnail-Signature`); none: derived from the random secret kept in"
                    + " the job database (the same on every node sharing it) and written to `webhook-secret` in the"
                    + " data directory ([Webhooks](docs/api.md#webhooks))")
            .shownAs("derived from a random secret kept in the job database");
    static final ServerOption WEBHOOK_MAX_AGE = duration("webhook-max-age", Duration.ofHours(24), "how long after a"
            + " job finished its webhook is still retried while the receiver fails (connection errors, timeouts,"
            + " 5xx, 429); then the callback is marked `failed`");

    static final ServerOption API_KEYS_FILE = text("api-keys-file", "", "a file", "API keys, one"
            + " `name:sha256-of-key` a line; any key set makes `/api` need `Authorization: Bearer <key>`"
            + " ([Security](docs/security.md#running-with-keys))");
    static final ServerOption API_KEYS = text("api-keys", "", "`name:sha256-of-key` entries",
            "the same entries, separated by commas or newlines");
    static final ServerOption METRICS_KEY_SHA256 = text("metrics-key-sha256", "", "64 hex digits",
            "SHA-256 of the only key `/metrics` then takes");
    static final ServerOption URL_SIGNING_KEY = text("url-signing-key", "", "at least 32 bytes, such as the"
            + " output of `openssl rand -hex 32`", "the key signed URLs are made and checked with; servers that must"
            + " accept each other's signed URLs need the same one, and changing it invalidates every URL signed"
            + " before ([Signed URLs](docs/security.md#signed-urls))")
            .shownAs("derived from a random secret kept in the job database");
    static final ServerOption RATE_LIMIT = number("rate-limit", 50, 0, 1_000_000, "submissions (uploads, URL jobs,"
            + " batches: what costs work) per second per key (per client address when open); 429 `rate_limited`"
            + " with `Retry-After` beyond").allowing(RATE).orOff();
    static final ServerOption RATE_BURST = number("rate-burst", 500, 1, 1_000_000,
            "submissions a client may make at once before the rate applies");
    static final ServerOption READ_RATE_LIMIT = number("read-rate-limit", 1000, 0, 1_000_000, "every other `/api`"
            + " request (status, lists, files, deletes) per second per key (per client address when open); 429"
            + " `rate_limited` with `Retry-After` beyond").allowing(RATE).orOff();
    static final ServerOption READ_RATE_BURST = number("read-rate-burst", 2000, 1, 1_000_000,
            "other `/api` requests a client may make at once before the read rate applies");
    static final ServerOption MAX_AUTH_FAILURES = number("max-auth-failures", 20, 1, 1_000_000, "requests with a"
            + " wrong API key one client address (an IPv6 /64) may make per minute; beyond them every `/api` and"
            + " `/metrics` request from it gets 429 `rate_limited` with `Retry-After` until one comes back").orOff();
    static final ServerOption MAX_WAITING = number("max-waiting", 32, 1, 10_000, "requests one client may have"
            + " waiting at once (`wait=N` long-polls, batch event streams); 429 `rate_limited` beyond");
    static final ServerOption MAX_PARTS = number("max-parts", 1000, 1, 100_000,
            "most parts of a multipart upload (413 beyond)");
    static final ServerOption MAX_HEADER_BYTES = bytes("max-header-bytes", 8 << 10, 1 << 10, 1 << 20,
            "largest request line plus headers (431 beyond)");
    static final ServerOption IDLE_TIMEOUT = duration("idle-timeout", Duration.ofSeconds(30),
            "close a connection with nothing sent or received for this long");
    static final ServerOption HEADER_TIMEOUT = duration("header-timeout", Duration.ofSeconds(10), "close a"
            + " connection whose request head has not arrived whole within this, counted from its opening or from"
            + " the first byte of a later request on it");
    static final ServerOption MIN_UPLOAD_RATE = bytes("min-upload-rate", 1 << 10, "cut off (408) a request body"
            + " arriving slower than this many bytes a second on average (after a 2-second allowance)").orOff();
    static final ServerOption BODY_TIMEOUT = duration("body-timeout", Duration.ofMinutes(5),
            "cut off (408) a request body that has not arrived whole within this, however fast it comes");
    static final ServerOption MAX_CONNECTIONS_PER_ADDRESS = number("max-connections-per-address", 256, 1, 1_000_000,
            "connections one client address may hold open at once; more are closed as they open");
    static final ServerOption MAX_UPLOADS = number("max-uploads", 512, 1, 1_000_000, "uploads (bodies being"
            + " received, then submitted) the server takes at once; 503 `unavailable` with `Retry-After` beyond");
    static final ServerOption MAX_UPLOADS_PER_CLIENT = number("max-uploads-per-client", 32, 1, 1_000_000, "uploads"
            + " one client address, and one API key, may have in flight at once; 429 `rate_limited` with"
            + " `Retry-After` beyond");
    static final ServerOption MAX_INFLIGHT_BYTES = bytes("max-inflight-bytes", 1L << 30, "request-body bytes all"
            + " uploads in flight may hold at once, counted as declared or as received; 503 `unavailable` with"
            + " `Retry-After` beyond").allowing(ServerOption.BYTES + ", at least `--max-upload-bytes`");

    /** Every option, in the order {@code --help} and README list them. */
    static final List<ServerOption> ALL = List.of(HOST, PORT, DATA_DIR, DATABASE, BLOB_STORE, NODE_ID, WORKERS,
            WORKER_NICE, MAX_UPLOAD_BYTES,
            MAX_PIXELS, MAX_OUTPUT_SIDE, DEFAULT_SIZE, PRESET, TTL, JOB_TIMEOUT, LEASE, QUEUE_CAPACITY,
            MAX_QUEUED_PER_KEY,
            ACCEPT_EMPTY_DATABASE, MAX_ATTEMPTS, PRIORITY_AGING, MIN_FREE_BYTES, MAX_URLS, ALLOW_PRIVATE_SOURCES,
            SOURCE_ALLOWLIST, IMGUR_CLIENT_ID, IMGUR_BASE_URL, WEBHOOK_SECRET, WEBHOOK_MAX_AGE, API_KEYS_FILE, API_KEYS,
            METRICS_KEY_SHA256, URL_SIGNING_KEY, RATE_LIMIT, RATE_BURST,
            READ_RATE_LIMIT, READ_RATE_BURST, MAX_AUTH_FAILURES, MAX_WAITING, MAX_PARTS, MAX_HEADER_BYTES,
            IDLE_TIMEOUT, HEADER_TIMEOUT, MIN_UPLOAD_RATE, BODY_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS, MAX_UPLOADS,
            MAX_UPLOADS_PER_CLIENT, MAX_INFLIGHT_BYTES);

    /** What {@code --help} (or {@code -h}) does, listed after the options. */
    static final String HELP = "print this list and exit";
    static final String VERSION = "print the server's version and exit";

    private ServerOptions() {
    }
}
