package dev.coffer.cli;

import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code coffer}: the operator CLI of the Coffer vault. Each leaf command makes one call (see
 * {@link ClientCommand}); exit codes are {@link ExitCodes}, listed at the end of every {@code
 * --help}.
 *
 * <p>Security: tokens come from {@code $COFFER_TOKEN} or {@code --token-file} (or {@code --token},
 * which shows in {@code ps}), else from the session {@code coffer login} kept; a secret value is printed only when it is shown once or revealed,
 * and never appears in an error.
 */
@Command(
    name = "coffer",
    description =
        "Operate a Coffer secrets vault over gRPC: tenants, principals, applications, their"
            + " secrets and stored credentials, shared through time-boxed access requests and"
            + " grants.")
public final class CofferCli {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  public static void main(String[] args) {
    NettyDefaults.applyUnlessSet();
    int exit;
    try (CliTransport transport = new CliTransport()) {
      exit = run(CliContext.system(transport::connect), args);
    }
    System.exit(exit);
  }

  /** Parses and runs {@code args}; returns the exit code. */
  public static int run(CliContext ctx, String... args) {
    return commandLineFor(ctx, args).execute(args);
  }

  /** The configured commands that {@code args} names (see {@link CommandTree#along}). */
  static CommandLine commandLineFor(CliContext ctx, String... args) {
    return configure(CommandTree.along(args, new ContextFactory(ctx)), ctx);
  }

  /** The whole configured command tree (streams, error handling, exit codes) over {@code ctx}. */
  public static CommandLine commandLine(CliContext ctx) {
    return configure(CommandTree.whole(new ContextFactory(ctx)), ctx);
  }

  /** Streams, error handling and exit codes of {@code cmd} and the commands under it. */
  private static CommandLine configure(CommandLine cmd, CliContext ctx) {
    cmd.setOut(ctx.out());
    cmd.setErr(ctx.err());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    ErrorReporter reporter = new ErrorReporter();
    cmd.setParameterExceptionHandler(reporter);
    cmd.setExecutionExceptionHandler(reporter);
    cmd.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.helpList());
    cmd.getSubcommands().values().forEach(CofferCli::pointToExitCodes);
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    return cmd;
  }

  /** Every subcommand's help points to the one exit-code table, in {@code coffer --help}. */
  private static void pointToExitCodes(CommandLine cmd) {
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    var usage = cmd.getCommandSpec().usageMessage();
    String[] footer = usage.footer();
    String[] withPointer = Arrays.copyOf(footer, footer.length + 1);
    withPointer[footer.length] = "%nExit codes: see 'coffer --help'.";
    usage.footer(withPointer);
    cmd.getSubcommands().values().forEach(CofferCli::pointToExitCodes);
  }

  /** Creates commands with picocli's default factory and hands them the context. */
  private static final class ContextFactory implements IFactory {
    private final CliContext ctx;
    private final IFactory delegate = CommandLine.defaultFactory();

    ContextFactory(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K created = delegate.create(cls);
      if (created instanceof ContextAware aware) {
        aware.context(ctx);
      }
      return created;
    }
  }

  /** A command that only groups others; without a subcommand it is a usage error. */
  abstract static class Group {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
  }

  @Command(
      name = "tenant",
      description = "Create, read and change the policy of tenants (system administrator).")
  static final class TenantCommands extends Group {}

  @Command(
      name = "principal",
      description = "Manage the people and workloads of a tenant.")
  static final class PrincipalCommands extends Group {}

  @Command(
      name = "token",
      description = "Issue, list and revoke bearer access tokens.")
  static final class TokenCommands extends Group {}

  @Command(
      name = "issuer",
      description = "Trust OIDC/JWT issuers so workloads and people sign in without an"
          + " admin-issued token (tenant admins).")
  static final class IssuerCommands extends Group {}

  @Command(
      name = "location",
      description = "Manage the tree of locations that hold secrets.")
  static final class LocationCommands extends Group {}

  @Command(
      name = "app",
      description = "Manage applications (OAuth clients).")
  static final class AppCommands extends Group {}

  @Command(
      name = "secret",
      description = "Create, rotate, list, read, verify, revoke, delete and unquarantine secrets.")
  static final class SecretCommands extends Group {}

  @Command(
      name = "scope",
      description = "Manage scopes: protected APIs that hold secrets like applications do.")
  static final class ScopeCommands extends Group {}

  @Command(
      name = "jwt",
      description = "Client assertions of signed-JWT applications: make, verify, public keys.")
  static final class JwtCommands extends Group {}

  @Command(
      name = "leak",
      description = "Report leaked Coffer values (no token needed).")
  static final class LeakCommands extends Group {}

  @Command(
      name = "credential",
      description = "Import credentials another identity provider generated, to share them.")
  static final class CredentialCommands extends Group {}

  @Command(
      name = "access",
      description = "Request, approve, deny and cancel time-boxed access to shared secrets.")
  static final class AccessCommands extends Group {}

  @Command(
      name = "grant",
      description = "Give, list and revoke expiring rights to read a vaulted secret.")
  static final class GrantCommands extends Group {}

  @Command(
      name = "audit",
      description = "Query and export your tenant's audit trail; verify the whole chain.")
  static final class AuditCommands extends Group {}

  @Command(
      name = "admin",
      description = "Operate the vault (system administrator): status, KEK rotation, backups.")
  static final class AdminCommands extends Group {}

  @Command(
      name = "cluster",
      description = "Operate a replicated cluster (system administrator): peers, leadership, "
          + "snapshots, membership.")
  static final class ClusterCommands extends Group {}

  @Command(
      name = "kek",
      description = "Retire, re-enable or destroy old KEK keys after a rotation.")
  static final class KekCommands extends Group {}
}
