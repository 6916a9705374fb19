package dev.coffer.cli;

import dev.coffer.api.v1.Backup;
import dev.coffer.api.v1.CreateBackupRequest;
import dev.coffer.client.CofferClient;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer admin backup [--to NAME]}: CreateBackup. The server writes a consistent copy of
 * its database (ciphertext only, no root key) and a manifest into NAME under its own {@code
 * --backup-dir}, while it keeps serving; restore it offline with {@code coffer-server restore}.
 */
@Command(
    name = "backup",
    description = {
      "Take an online, consistent backup on the server, under its --backup-dir.",
      "Deadline: --timeout if given, else 1h."
    })
final class AdminBackupCommand extends ClientCommand {

  @Option(
      names = "--to",
      paramLabel = "NAME",
      description = "Backup directory name under the server's --backup-dir "
          + "(default coffer-backup-<UTC time>).")
  String name = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    Backup b =
        client
            .admin()
            .withDeadlineAfter(
                AuditViews.longCallDeadline(spec, global).toNanos(), TimeUnit.NANOSECONDS)
            .createBackup(CreateBackupRequest.newBuilder().setName(name).build());
    printer.print(
        b,
        "backup", b.getPath(),
        "taken", Printer.time(b.getCreateTime()),
        "audit sequence", Long.toString(b.getAuditSequence()),
        "secrets", b.getSecrets() + " (" + b.getVaultedSecrets() + " vaulted)",
        "data keys", Long.toString(b.getDataKeys()),
        "files", b.getFiles() + " (" + b.getBytes() + " bytes)");
    return ExitCodes.OK;
  }
}
