package dev.coffer.cli;

import dev.coffer.api.v1.DestroyKekKeyRequest;
import dev.coffer.api.v1.DisableKekKeyRequest;
import dev.coffer.api.v1.EnableKekKeyRequest;
import dev.coffer.api.v1.KekKey;
import dev.coffer.client.CofferClient;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer admin kek disable|enable|destroy KEY_ID}: retire an old KEK key once nothing
 * depends on it, undo that, or delete its material for good ({@code destroy} asks for {@code
 * --yes}). The key id is the unsigned number {@code coffer admin status} shows.
 */
abstract class KekKeyCommand extends ClientCommand {

  @Parameters(paramLabel = "KEY_ID", description = "KEK key id (see coffer admin status).")
  String keyId;

  int id() {
    try {
      return Integer.parseUnsignedInt(keyId);
    } catch (NumberFormatException e) {
      throw usage("KEY_ID must be an unsigned 32-bit number, as coffer admin status shows it");
    }
  }

  @Override
  protected void checkLocally() {
    id();
  }

  void print(Printer printer, KekKey k) {
    printer.print(
        k,
        "KEK key", Integer.toUnsignedString(k.getKeyId()),
        "state", k.getState().name().toLowerCase(Locale.ROOT),
        "primary", Printer.yesNo(k.getPrimary()));
  }

  @Command(
      name = "disable",
      description = "Stop an old KEK key from opening anything (refused while data keys use it).")
  static final class Disable extends KekKeyCommand {
    @Override
    protected int run(CofferClient client, Printer printer) {
      print(printer, client.admin().disableKekKey(
          DisableKekKeyRequest.newBuilder().setKeyId(id()).build()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "enable", description = "Let a disabled KEK key open data keys again.")
  static final class Enable extends KekKeyCommand {
    @Override
    protected int run(CofferClient client, Printer printer) {
      print(printer, client.admin().enableKekKey(
          EnableKekKeyRequest.newBuilder().setKeyId(id()).build()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "destroy", description = "Delete a disabled KEK key's material for good.")
  static final class Destroy extends KekKeyCommand {
    @Option(names = "--yes", description = "Confirm: destroying a key cannot be undone.")
    boolean yes;

    @Override
    protected void checkLocally() {
      super.checkLocally();
      if (!yes) {
        throw usage("destroying a KEK key cannot be undone; add --yes to confirm");
      }
    }

    @Override
    protected int run(CofferClient client, Printer printer) {
      var response = client.admin().destroyKekKey(
          DestroyKekKeyRequest.newBuilder().setKeyId(id()).build());
      printer.print(response, "destroyed KEK key", Integer.toUnsignedString(id()));
      return ExitCodes.OK;
    }
  }
}
