package dev.coffer.server.cluster;

import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The checkpoint signer a cluster node's state machine starts with, before the node has
 * opened its keyring: the keyring lives in the replicated store, so it can only be opened once
 * the node has applied the entries that wrote it. {@link #bind} hands in the keyring's signer;
 * until then a checkpoint to sign waits (at most {@link #WAIT_SECONDS}), then fails, which
 * stops the Raft server rather than let the replica skip a checkpoint.
 */
public final class LateCheckpointSigner implements CheckpointSigner {

  static final long WAIT_SECONDS = 120;

  private final CompletableFuture<CheckpointSigner> bound = new CompletableFuture<>();

  /** Hands in the keyring's signer; later calls are ignored. */
  public void bind(CheckpointSigner signer) {
    bound.complete(signer);
  }

  @Override
  public byte[] sign(byte[] data, byte[] context) {
    return signer().sign(data, context);
  }

  @Override
  public boolean verify(byte[] signature, byte[] data, byte[] context) {
    return signer().verify(signature, data, context);
  }

  private CheckpointSigner signer() {
    try {
      return bound.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CofferException(Reason.SHUTTING_DOWN, "interrupted waiting for the audit key");
    } catch (ExecutionException | TimeoutException e) {
      throw new CofferException(Reason.AUDIT_UNAVAILABLE,
          "the audit signing key was not loaded on this node");
    }
  }
}
