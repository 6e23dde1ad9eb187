package io.thumbnail.internal.source;

import io.thumbnail.ImageFormat;
import io.thumbnail.corpus.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real corpus images served from 127.0.0.1 (guard lifted), fetched byte for byte. */
class CorpusFetchTest {

    @Test
    void fetches_real_corpus_photos_byte_for_byte() throws Exception {
        Path corpus = corpus();
        UrlFetcher fetcher = new UrlFetcher(new SourceGuard(new SourcePolicy(true, Set.of()), HostResolver.system()),
                FetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
        try (LoopbackServer server = LoopbackServer.onIpv4("corpus")) {
            for (String name : new String[]{"photos/hopper.jpg", "photos/nikon-d50-3008x2000.jpg"}) {
                byte[] bytes = Files.readAllBytes(corpus.resolve(name));
                server.on("/" + name, ex -> LoopbackServer.respond(ex, 200, "application/octet-stream", bytes));

                FetchedImage image = fetcher.fetch(server.url("/" + name));

                assertThat(image.bytes()).as("bytes of %s", name).isEqualTo(bytes);
                assertThat(image.format()).as("format of %s", name).isEqualTo(ImageFormat.JPEG);
            }
        }
    }

    private static Path corpus() {
        Path path = Corpus.root();
        assumeTrue(path != null,
                "THUMBNAIL_CORPUS is not set; run with THUMBNAIL_CORPUS=/path/to/shared/corpus to serve real images");
        assumeTrue(Files.isRegularFile(path.resolve("MANIFEST.tsv")), "no MANIFEST.tsv under " + path);
        return path;
    }
}
