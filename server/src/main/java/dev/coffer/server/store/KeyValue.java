package dev.coffer.server.store;

/** One entry returned by a scan. Values are already sealed or non-secret. */
public record KeyValue(byte[] key, byte[] value) {}
