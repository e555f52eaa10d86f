package io.quiver.raft;

/**
 * Stable error codes of the raft-groups module; web/ and flight-server/ map each to a status.
 *
 * <p>Codes also cross the wire inside Ratis' {@code StateMachineException} message as the token
 * {@code [code=<id>]} (see {@link RaftException#wireMessage()}), which is how a router recognises, for example, a
 * stale shard-map epoch rejected by a replica. Ids are therefore stable forever; add codes, never rename them.
 */
public enum ErrorCode {
  /** A request or batch is invalid (empty, bad labels, inconsistent arrays); retrying the same input fails again. */
  INVALID_REQUEST("raft.invalid_request", false),
  /** A log entry or message could not be decoded (truncated, corrupt, unknown version or type). */
  MALFORMED_ENTRY("raft.malformed_entry", false),
  /** An encoded batch is larger than the configured entry cap; split it. */
  BATCH_TOO_LARGE("raft.batch_too_large", false),
  /** The proposal was routed with an older shard-map epoch than the replica's; refresh the view and retry. */
  STALE_EPOCH("raft.stale_epoch", true),
  /** The contacted peer is not the leader of the group (a leader hint may follow in the message). */
  NOT_LEADER("raft.not_leader", true),
  /** The contacted server does not host the group (moved or removed); refresh the view and retry. */
  GROUP_NOT_FOUND("raft.group_not_found", true),
  /** The group has no leader / no quorum right now. */
  UNAVAILABLE("raft.unavailable", true),
  /** Too many pending requests on the group or the router; back off and retry. */
  OVERLOADED("raft.overloaded", true),
  /** A read could not be served within the requested staleness bound on this replica. */
  STALE_READ("raft.stale_read", true),
  /** The deadline passed; the outcome is unknown (a write may or may not have been committed). */
  TIMEOUT("raft.timeout", true),
  /** The component is closed or closing. */
  CLOSED("raft.closed", true),
  /** Applying a committed entry failed on this replica: a bug or a storage fault. */
  APPLY_FAILED("raft.apply_failed", false),
  /** An I/O error (storage, snapshot files). */
  IO("raft.io", true),
  /** A bug or broken invariant. */
  INTERNAL("raft.internal", false),
  // Control plane (raft-control): cluster membership, shard map and moves.
  /** No node with that id is registered. */
  NODE_NOT_FOUND("raft.node_not_found", false),
  /** A node with that id is already registered. */
  NODE_EXISTS("raft.node_exists", false),
  /** No shard with that number exists in this cluster. */
  SHARD_NOT_FOUND("raft.shard_not_found", false),
  /** No move with that id exists. */
  MOVE_NOT_FOUND("raft.move_not_found", false),
  /** The operation conflicts with the current state (shard already moving, replica already there, move past cancel). */
  CONFLICT("raft.conflict", false),
  /** The cluster has not been bootstrapped yet. */
  NOT_BOOTSTRAPPED("raft.not_bootstrapped", true),
  /** The cluster is already bootstrapped. */
  ALREADY_BOOTSTRAPPED("raft.already_bootstrapped", false);

  private final String id;
  private final boolean retryable;

  ErrorCode(String id, boolean retryable) {
    this.id = id;
    this.retryable = retryable;
  }

  /** Stable identifier, safe to show to clients and to match on. */
  public String id() {
    return id;
  }

  /** Whether retrying the same operation may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The code with id {@code id}, or {@code null} if unknown. */
  public static ErrorCode fromId(String id) {
    for (ErrorCode c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    return null;
  }
}
