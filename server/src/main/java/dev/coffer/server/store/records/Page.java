package dev.coffer.server.store.records;

import java.util.List;

/** One page of a listing; {@code nextPageToken} is empty on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {}
