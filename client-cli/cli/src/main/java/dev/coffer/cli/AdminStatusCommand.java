package dev.coffer.cli;

import dev.coffer.api.v1.GetVaultStatusRequest;
import dev.coffer.api.v1.KekKey;
import dev.coffer.api.v1.KekRewrap;
import dev.coffer.api.v1.StorageWriteError;
import dev.coffer.api.v1.VaultStatus;
import dev.coffer.client.CofferClient;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code coffer admin status}: GetVaultStatus (system administrator): where the root key lives,
 * the KEK keys, the progress of a KEK re-wrap, the audit head, the vault's size, and a
 * storage write failure while it lasts.
 */
@Command(
    name = "status",
    description = "Show the vault's root key, KEK keys, KEK re-wrap progress, audit head, size.")
final class AdminStatusCommand extends ClientCommand {

  @Override
  protected int run(CofferClient client, Printer printer) {
    VaultStatus s = client.admin().getVaultStatus(GetVaultStatusRequest.getDefaultInstance());
    if (printer.isJson()) {
      printer.print(s);
      return ExitCodes.OK;
    }
    printer.print(
        s,
        "root key", s.getRootKey(),
        "audit sequence", Long.toString(s.getAuditSequence()),
        "secrets (estimate)", Long.toString(s.getSecretsEstimate()),
        "data keys (estimate)", Long.toString(s.getDataKeysEstimate()),
        "backup dir", s.getBackupDir().isEmpty() ? "(not configured)" : s.getBackupDir(),
        "kek re-wrap", s.hasKekRewrap() ? rewrap(s.getKekRewrap()) : "never rotated",
        "storage writes", s.hasStorageWriteError() ? writeError(s.getStorageWriteError()) : "ok");
    TextTable keys = new TextTable("KEK KEY", "STATE", "PRIMARY");
    for (KekKey k : s.getKekKeysList()) {
      keys.row(
          Integer.toUnsignedString(k.getKeyId()),
          k.getState().name().toLowerCase(Locale.ROOT),
          Printer.yesNo(k.getPrimary()));
    }
    keys.print(ctx.out());
    ctx.out().flush();
    return ExitCodes.OK;
  }

  /** A lasting storage write failure: since when, how many writes, the last cause. */
  static String writeError(StorageWriteError e) {
    return "FAILING since " + Printer.time(e.getSince()) + " (" + e.getFailedWrites()
        + " failed writes, last " + Printer.time(e.getLastFailureTime()) + "): " + e.getCause();
  }

  static String rewrap(KekRewrap r) {
    String counts =
        r.getScanned() + "/" + r.getTotalEstimate() + " scanned, " + r.getRewrapped()
            + " re-wrapped, " + r.getOrphansRemoved() + " orphaned removed, " + r.getUnreadable()
            + " unreadable";
    return (r.getRunning()
            ? String.format(Locale.ROOT, "running %.0f%%", r.getProgress() * 100)
            : "done " + Printer.time(r.getFinishTime()))
        + " to key " + Integer.toUnsignedString(r.getTargetKeyId()) + " (" + counts + ")";
  }
}
