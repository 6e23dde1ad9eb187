package io.thumbnail.archfixture.internal.upward;

import io.thumbnail.ThumbnailService;

/** An internal class reaching up to the public service: what {@code internalsDoNotUseTheService} refuses. */
public final class UsesService {
    private UsesService() {
    }

    public static int workers(ThumbnailService service) {
        return service.stats().hashCode();
    }
}
