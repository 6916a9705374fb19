package dev.coffer.cli;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.coffer.server.backup.BackupRestorer;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.RootKeyProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code coffer admin restore --from DIR --data-dir NEW}: offline restore of a backup into a new
 * data directory, then verification (file checksums, audit chain, every vaulted value decrypts,
 * counts match the manifest). Runs locally, without a server: the server must not be running on
 * NEW. Needs the root key the backup was made under. Exit 0 when verified, {@value
 * ExitCodes#RESTORE_FAILED} otherwise (and nothing is left in NEW).
 */
@Command(
    name = "restore",
    description = {
      "Restore a backup into a NEW, empty data dir offline, and verify it before use:",
      "file checksums, the audit chain, every vaulted value decrypts, counts match."
    })
final class AdminRestoreCommand implements Callable<Integer>, ContextAware {

  @Option(names = "--from", required = true, paramLabel = "DIR", description = "The backup.")
  Path from;

  @Option(
      names = "--data-dir",
      required = true,
      paramLabel = "NEW",
      description = "New data dir to restore into (must not exist, or be empty).")
  Path dataDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  RootKey rootKey;

  static final class RootKey {
    @Option(
        names = "--root-key",
        paramLabel = "URI",
        description = "The vault's root key URI, as the server's --root-key.")
    String uri;

    @Option(
        names = "--dev-root-key",
        paramLabel = "FILE",
        description = "A --dev vault's key file (DATA_DIR/dev-root-key.json); copied into NEW so "
            + "`--dev --data-dir NEW` starts on it.")
    Path devFile;
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text or json (default text).")
  Printer.Format output = Printer.Format.text;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Spec CommandSpec spec;

  private CliContext ctx;

  @Override
  public void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public Integer call() {
    Printer printer = new Printer(ctx.out(), ctx.err(), output);
    RootKeyProvider root;
    try {
      root = rootKey.devFile != null
          ? DevRootKeyFile.load(rootKey.devFile.toAbsolutePath())
          : RootKeyProviders.fromUri(rootKey.uri);
    } catch (KeyringException e) {
      ctx.err().println("coffer: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    BackupRestorer.Report report;
    try {
      report = BackupRestorer.restore(from, dataDir, root);
    } catch (BackupRestorer.RestoreException e) {
      ctx.err().println("coffer: restore failed: " + e.getMessage());
      return ExitCodes.RESTORE_FAILED;
    }
    if (report.ok() && rootKey.devFile != null) {
      try {
        Files.copy(rootKey.devFile, dataDir.resolve("dev-root-key.json"));
      } catch (IOException e) {
        ctx.err().println("coffer: restored, but could not copy the dev root key: " + e);
        return ExitCodes.RESTORE_FAILED;
      }
    }
    var census = report.restored();
    Struct.Builder json = Struct.newBuilder()
        .putFields("ok", Value.newBuilder().setBoolValue(report.ok()).build())
        .putFields("dataDir", str(dataDir.toAbsolutePath().toString()))
        .putFields("secrets", num(census.secrets()))
        .putFields("vaultedSecrets", num(census.vaultedSecrets()))
        .putFields("valuesDecrypted", num(report.valuesDecrypted()))
        .putFields("auditEventsVerified", num(report.eventsVerified()))
        .putFields("auditCheckpointsVerified", num(report.checkpointsVerified()));
    report.problems().forEach(p -> json.putFields("problem" + json.getFieldsCount(), str(p)));
    printer.print(
        json,
        "restored", report.ok() ? dataDir.toAbsolutePath().toString() : "NO (removed)",
        "backup taken", report.manifest().createTime().toString(),
        "secrets", census.secrets() + " (" + census.vaultedSecrets() + " vaulted)",
        "values decrypted", Long.toString(report.valuesDecrypted()),
        "audit chain", report.eventsVerified() + " events, " + report.checkpointsVerified()
            + " signed checkpoints",
        "problems", report.problems().isEmpty() ? "none" : String.join("; ", report.problems()));
    return report.ok() ? ExitCodes.OK : ExitCodes.RESTORE_FAILED;
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value num(long n) {
    return Value.newBuilder().setNumberValue(n).build();
  }
}
