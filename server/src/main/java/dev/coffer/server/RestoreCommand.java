package dev.coffer.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.server.backup.BackupRestorer;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.RootKeyProviders;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer-server restore --from DIR --data-dir NEW}: offline restore of a backup into a new
 * data directory, then verification (file checksums, audit chain, every vaulted value decrypts,
 * counts match the manifest), all by {@link BackupRestorer}. Runs without a server: none may be
 * running on NEW. Needs the root key the backup was made under.
 *
 * <p>Exit codes (the same as the former {@code coffer admin restore}): 0 restored and verified;
 * {@value #USAGE} a usage error or a root key that cannot be opened; {@value #RESTORE_FAILED} the
 * backup is unusable or failed verification, and nothing is left in NEW.
 *
 * <p>Security: prints counts, paths and problem descriptions only; never a key or a value.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = RestoreCommand.USAGE,
    description = {
      "Restore a backup into a NEW, empty data dir offline, and verify it before use:",
      "file checksums, the audit chain, every vaulted value decrypts, counts match."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:restored and verified", "1:usage error or unusable root key",
        "5:the backup is unusable or failed verification (nothing kept)"})
public final class RestoreCommand implements Callable<Integer> {

  /** A usage error or a root key that cannot be opened. */
  public static final int USAGE = 1;
  /** The backup is unusable or failed verification; NEW is left empty. */
  public static final int RESTORE_FAILED = 5;

  /** The subcommand's name: {@code coffer-server restore ...}. */
  static final String NAME = "restore";

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
  Format output = Format.text;

  /** Output format. */
  enum Format {
    text,
    json
  }

  private final PrintStream out;
  private final PrintStream err;

  RestoreCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Parses {@code args} (after {@code restore}), runs, and returns the exit code. */
  static int execute(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new RestoreCommand(out, err)).setCommandName(
        "coffer-server " + NAME);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    RootKeyProvider root;
    try {
      root = rootKey.devFile != null
          ? DevRootKeyFile.load(rootKey.devFile.toAbsolutePath())
          : RootKeyProviders.fromUri(rootKey.uri);
    } catch (KeyringException e) {
      err.println("coffer-server restore: " + e.getMessage());
      return USAGE;
    }
    BackupRestorer.Report report;
    try {
      report = BackupRestorer.restore(from, dataDir, vaultOpener(root));
    } catch (BackupRestorer.RestoreException e) {
      err.println("coffer-server restore: restore failed: " + e.getMessage());
      return RESTORE_FAILED;
    }
    if (report.ok() && rootKey.devFile != null) {
      try {
        Files.copy(rootKey.devFile, dataDir.resolve("dev-root-key.json"));
      } catch (IOException e) {
        err.println("coffer-server restore: restored, but could not copy the dev root key: " + e);
        return RESTORE_FAILED;
      }
    }
    if (output == Format.json) {
      printJson(report);
    } else {
      printText(report);
    }
    return report.ok() ? 0 : RESTORE_FAILED;
  }

  /**
   * Opens a restored database for {@link BackupRestorer} to verify: the whole {@link Vault}
   * under {@code rootKey}, as a server starting on it would open it.
   */
  public static BackupRestorer.VaultOpener vaultOpener(RootKeyProvider rootKey) {
    return db -> {
      Vault vault = Vault.open(db, rootKey, Clock.systemUTC(),
          ServerConfig.DEFAULT_VERIFY_FAILURES_PER_MINUTE);
      return new BackupRestorer.OpenedVault(vault.storage().store(), vault.keys().keyring(),
          vault::close);
    };
  }

  private void printJson(BackupRestorer.Report report) {
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
    try {
      out.println(JsonFormat.printer().print(json));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Struct always prints as JSON", e);
    }
    out.flush();
  }

  private void printText(BackupRestorer.Report report) {
    var census = report.restored();
    String[] kv = {
        "restored", report.ok() ? dataDir.toAbsolutePath().toString() : "NO (removed)",
        "backup taken", report.manifest().createTime().toString(),
        "secrets", census.secrets() + " (" + census.vaultedSecrets() + " vaulted)",
        "values decrypted", Long.toString(report.valuesDecrypted()),
        "audit chain", report.eventsVerified() + " events, " + report.checkpointsVerified()
            + " signed checkpoints",
        "problems", report.problems().isEmpty() ? "none" : String.join("; ", report.problems())};
    int width = 0;
    for (int i = 0; i < kv.length; i += 2) {
      width = Math.max(width, kv[i].length());
    }
    for (int i = 0; i < kv.length; i += 2) {
      out.println(String.format("%-" + width + "s  %s", kv[i], kv[i + 1]));
    }
    out.flush();
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value num(long n) {
    return Value.newBuilder().setNumberValue(n).build();
  }
}
