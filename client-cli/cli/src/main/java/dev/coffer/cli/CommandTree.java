package dev.coffer.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;

/**
 * The tree of {@code coffer} commands: which commands each group holds, in the order help lists
 * them. It is the one place the tree is declared (the groups' {@code @Command} annotations name no
 * subcommands).
 *
 * <p>Contract: {@link #whole} builds every command; {@link #along} builds only the commands that a
 * command line names, one per level ({@code coffer secret get X} builds {@code coffer}, {@code
 * secret} and {@code get}), and the whole subtree below the first word that names no command, so
 * usage errors, suggestions and group help read exactly as with the whole tree. Picocli reflects
 * over every command class it is given, and over the ninety of the whole tree that was most of a
 * call's start-up; a leaf's own help, options and behaviour do not depend on its siblings. {@code
 * help} and {@code completion} describe the tree, so a line that names them gets the whole tree.
 */
final class CommandTree {

  private static final Map<Class<?>, List<Class<?>>> GROUPS =
      Map.ofEntries(
          Map.entry(
              CofferCli.class,
              List.of(
                  CofferCli.TenantCommands.class,
                  CofferCli.PrincipalCommands.class,
                  WhoAmICommand.class,
                  LoginCommand.class,
                  LogoutCommand.class,
                  HealthCommand.class,
                  CofferCli.TokenCommands.class,
                  CofferCli.IssuerCommands.class,
                  CofferCli.LocationCommands.class,
                  CofferCli.AppCommands.class,
                  CofferCli.SecretCommands.class,
                  CofferCli.ScopeCommands.class,
                  CofferCli.JwtCommands.class,
                  CofferCli.LeakCommands.class,
                  CofferCli.CredentialCommands.class,
                  CofferCli.AccessCommands.class,
                  CofferCli.GrantCommands.class,
                  CofferCli.AuditCommands.class,
                  CofferCli.AdminCommands.class,
                  CofferCli.ClusterCommands.class,
                  WatchCommand.class,
                  BenchCommand.class,
                  BenchBaselineCommand.class,
                  CompletionCommand.class,
                  CommandLine.HelpCommand.class)),
          Map.entry(
              CofferCli.TenantCommands.class,
              List.of(TenantCreateCommand.class, TenantGetCommand.class,
                  TenantSetPolicyCommand.class)),
          Map.entry(
              CofferCli.PrincipalCommands.class,
              List.of(
                  PrincipalCreateCommand.class,
                  PrincipalListCommand.class,
                  PrincipalGetCommand.class)),
          Map.entry(
              CofferCli.TokenCommands.class,
              List.of(TokenIssueCommand.class, TokenListCommand.class, TokenRevokeCommand.class)),
          Map.entry(
              CofferCli.IssuerCommands.class,
              List.of(
                  IssuerCreateCommand.class,
                  IssuerCommands.ListIssuers.class,
                  IssuerCommands.Get.class,
                  IssuerCommands.Delete.class)),
          Map.entry(
              CofferCli.LocationCommands.class,
              List.of(LocationCreateCommand.class, LocationListCommand.class)),
          Map.entry(
              CofferCli.AppCommands.class,
              List.of(AppCreateCommand.class, AppGetCommand.class, AppListCommand.class)),
          Map.entry(
              CofferCli.SecretCommands.class,
              List.of(
                  SecretCreateCommand.class,
                  SecretRotateCommand.class,
                  SecretListCommand.class,
                  SecretGetCommand.class,
                  SecretRevokeCommand.class,
                  SecretDeleteCommand.class,
                  SecretRevealCommand.class,
                  SecretVerifyCommand.class,
                  SecretUnquarantineCommand.class)),
          Map.entry(
              CofferCli.ScopeCommands.class,
              List.of(ScopeCreateCommand.class, ScopeGetCommand.class, ScopeListCommand.class)),
          Map.entry(
              CofferCli.JwtCommands.class,
              List.of(JwtAssertCommand.class, JwtVerifyCommand.class, JwtJwksCommand.class)),
          Map.entry(CofferCli.LeakCommands.class, List.of(LeakReportCommand.class)),
          Map.entry(CofferCli.CredentialCommands.class, List.of(CredentialStoreCommand.class)),
          Map.entry(
              CofferCli.AccessCommands.class,
              List.of(
                  AccessRequestCommand.class,
                  AccessListCommand.class,
                  AccessGetCommand.class,
                  AccessApproveCommand.class,
                  AccessDenyCommand.class,
                  AccessCancelCommand.class)),
          Map.entry(
              CofferCli.GrantCommands.class,
              List.of(
                  GrantCreateCommand.class,
                  GrantListCommand.class,
                  GrantGetCommand.class,
                  GrantRevokeCommand.class)),
          Map.entry(
              CofferCli.AuditCommands.class,
              List.of(AuditListCommand.class, AuditExportCommand.class, AuditVerifyCommand.class)),
          Map.entry(
              CofferCli.AdminCommands.class,
              List.of(
                  AdminStatusCommand.class,
                  AdminRotateKekCommand.class,
                  CofferCli.KekCommands.class,
                  AdminBackupCommand.class,
                  AdminRestoreCommand.class)),
          Map.entry(
              CofferCli.ClusterCommands.class,
              List.of(
                  ClusterPeersCommand.class,
                  ClusterChangeCommands.TransferLeader.class,
                  ClusterChangeCommands.Snapshot.class,
                  ClusterChangeCommands.Remove.class,
                  ClusterChangeCommands.Add.class)),
          Map.entry(
              CofferCli.KekCommands.class,
              List.of(
                  KekKeyCommand.Disable.class,
                  KekKeyCommand.Enable.class,
                  KekKeyCommand.Destroy.class)));

  /** Commands whose work is to describe the tree around them. */
  private static final Set<Class<?>> DESCRIBE_THE_TREE =
      Set.of(CommandLine.HelpCommand.class, CompletionCommand.class);

  private CommandTree() {}

  /** Every command, under {@link CofferCli}. */
  static CommandLine whole(IFactory factory) {
    return build(CofferCli.class, factory, null, 0);
  }

  /** The commands {@code args} names, and the whole subtree where it stops naming any. */
  static CommandLine along(String[] args, IFactory factory) {
    return build(CofferCli.class, factory, args, 0);
  }

  /**
   * {@code cls} with its children: all of them, or only the one {@code args[depth]} names, built
   * the same way one level down. {@code args == null} means all, at every level.
   */
  private static CommandLine build(Class<?> cls, IFactory factory, String[] args, int depth) {
    List<Class<?>> children = GROUPS.getOrDefault(cls, List.of());
    Class<?> named = args == null || depth >= args.length ? null : named(children, args[depth]);
    if (named != null && DESCRIBE_THE_TREE.contains(named)) {
      named = null;
    }
    CommandLine cmd = new CommandLine(cls, factory);
    for (Class<?> child : named == null ? children : List.of(named)) {
      cmd.addSubcommand(build(child, factory, named == null ? null : args, depth + 1));
    }
    return cmd;
  }

  /** The child whose name or alias is {@code word} exactly, or {@code null}. */
  private static Class<?> named(List<Class<?>> children, String word) {
    for (Class<?> child : children) {
      Command command = child.getAnnotation(Command.class);
      if (command.name().equals(word) || List.of(command.aliases()).contains(word)) {
        return child;
      }
    }
    return null;
  }

  /** The groups and the commands each holds, for tests that walk the declared tree. */
  static Map<Class<?>, List<Class<?>>> groups() {
    return GROUPS;
  }
}
