package dev.coffer.cli;

import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import dev.coffer.client.CofferErrors;
import dev.coffer.client.ResourceNames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code coffer logout}: ends the session {@code coffer login} kept. It asks the server which
 * token the session holds ({@code WhoAmI} gives its id), revokes it ({@code RevokeToken}) and
 * deletes the session file. If the server cannot be reached or refuses, the file is deleted all
 * the same and the command says the token was not revoked and until when it stays valid.
 *
 * <p>Contract: the session token is sent only to the address it was issued by (a different
 * {@code --addr} is a usage error, nothing deleted); other token options are ignored. Security:
 * prints token ids, never the token.
 */
@Command(name = "logout", description = "Revoke the session coffer login kept, and delete it.")
final class LogoutCommand implements Callable<Integer>, ContextAware {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  private CliContext ctx;

  @Override
  public void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public Integer call() {
    Printer printer = new Printer(ctx.out(), ctx.err(), global.output());
    SessionFile file = SessionFile.of(ctx);
    SessionFile.Session session = file.load();
    if (session == null) {
      file.delete();
      printer.note("Not signed in: no session in " + file.path() + ".");
      return ExitCodes.OK;
    }
    String target = global.target(ctx);
    if (!target.equals(session.address())) {
      throw new ParameterException(spec.commandLine(), "the session was issued by "
          + session.address() + ", not " + target + ": run coffer logout --addr "
          + session.address() + " (with its TLS options) to revoke it there");
    }
    String token = session.accessToken();
    ClientConfig config = global.clientConfig(ctx).toBuilder()
        .tokenSupplier(() -> token).build();
    AccessToken revoked = null;
    String notRevoked = null;
    try (CofferClient client = ctx.connect(config)) {
      Principal me = client.principals().whoAmI(WhoAmIRequest.getDefaultInstance());
      revoked = client.tokens().revokeToken(RevokeTokenRequest.newBuilder()
          .setName(ResourceNames.token(me.getTokenId())).build());
    } catch (StatusRuntimeException e) {
      notRevoked = e.getStatus().getCode() == Status.Code.UNAUTHENTICATED
          ? null : CofferErrors.describe(e);
      if (notRevoked == null) {
        printer.note("The session had already ended (expired or revoked).");
      }
    } catch (RuntimeException e) {
      notRevoked = e.getClass().getSimpleName();
    } finally {
      file.delete();
    }
    if (revoked != null) {
      printer.print(revoked, Printer.view(revoked));
    }
    if (notRevoked != null) {
      printer.note("warning: the server did not revoke the session token " + session.tokenId()
          + " (" + notRevoked + "); it stays valid until "
          + (session.expireTime() == null ? "it expires" : session.expireTime())
          + " unless an admin revokes it (coffer token revoke " + session.tokenId() + ").");
    }
    printer.note("Signed out: deleted " + file.path() + ".");
    return ExitCodes.OK;
  }
}
