package dev.coffer.server.store.records;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes a golden file for each {@link GoldenRecords} set that has none yet, with the
 * bytes the current codec writes. Run by hand (never by the build) when a new record type
 * or a new version of a record gets its golden file; it never overwrites an existing
 * file, because those hold what released vaults have on disk.
 *
 * <p>Usage: {@code GoldenRecordWriter server/src/test/resources/golden}
 */
final class GoldenRecordWriter {

  private GoldenRecordWriter() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (GoldenRecords.Set<?> set : List.of(GoldenRecords.principals(),
        GoldenRecords.applications(), GoldenRecords.secrets(),
        GoldenRecords.accessRequests(), GoldenRecords.tenants(),
        GoldenRecords.tenantsV2(), GoldenRecords.trustedIssuers())) {
      Path file = dir.resolve(set.file());
      if (Files.exists(file)) {
        System.out.println("kept " + file);
        continue;
      }
      Files.writeString(file, render(set), StandardCharsets.UTF_8);
      System.out.println("wrote " + file);
    }
  }

  private static <T> String render(GoldenRecords.Set<T> set) {
    StringBuilder out = new StringBuilder()
        .append("# Golden records: bytes written to disk, one record per line as\n")
        .append("# <label> <hex of the stored record>. Never edit or regenerate: add a new\n")
        .append("# file for a new format instead. See docs/storage-format.md.\n");
    for (Map.Entry<String, T> e : set.records().entrySet()) {
      out.append(e.getKey()).append(' ')
          .append(HexFormat.of().formatHex(set.encoder().apply(e.getValue()))).append('\n');
    }
    return out.toString();
  }
}
