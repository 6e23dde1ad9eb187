package io.thumbnail;

import java.util.List;

/** One page of a listing, newest first; {@code next} is the cursor for the following page, or null at the end. */
public record Page<T>(List<T> items, String next) {
}
