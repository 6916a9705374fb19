package dev.coffer.server.cluster;

/**
 * A cluster node refuses a call because it does not serve now (its clock is behind its
 * peers'). The message says why for the caller and the operator; it names no record.
 */
public final class NodeNotServingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NodeNotServingException(String reason) {
    super(reason, null, false, false);
  }
}
