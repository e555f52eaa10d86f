package io.quiver.web;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster operations behind {@code /api/admin/*}. The node implements it over the metadata group (raft-control's
 * cluster admin); mutations go through the metadata group. Futures fail with {@code RaftException} or
 * {@link WebException}, which the web error mapper turns into a status and a JSON error with a stable code.
 */
public interface AdminService {
  /**
   * Cluster status as a JSON-ready tree (maps, lists, strings, numbers, booleans): nodes, shards, leaders,
   * commit/applied indexes, lag, moves in progress.
   */
  CompletableFuture<Map<String, Object>> status();

  /** Moves one replica of {@code request.shard()}; completes with the id of the recorded move. */
  CompletableFuture<String> moveShard(MoveRequest request);

  /** Cancels the move {@code moveId} if it has not passed the point of no return. */
  CompletableFuture<Void> cancelMove(String moveId);

  /** Joins a node to the cluster; completes with the node's id. */
  CompletableFuture<String> addNode(JoinRequest request);

  /** Starts draining node {@code nodeId}; it is removed once its replicas have moved away. */
  CompletableFuture<Void> decommission(String nodeId);

  /**
   * Body of {@code POST /api/admin/shards/{id}/move}.
   *
   * @param shard shard number
   * @param fromNode node losing the replica ({@code null}: let the cluster pick)
   * @param toNode node gaining the replica
   */
  record MoveRequest(int shard, String fromNode, String toNode) {
    /** Validates a non-negative shard and a target node. */
    public MoveRequest {
      if (shard < 0) {
        throw new WebException(ErrorCode.BAD_REQUEST, "negative shard [shard=" + shard + "]");
      }
      if (toNode == null || toNode.isBlank()) {
        throw new WebException(ErrorCode.BAD_REQUEST, "missing target node [field=to]");
      }
    }
  }

  /**
   * Body of {@code POST /api/admin/nodes}.
   *
   * @param id node id
   * @param raftAddress host:port of its Raft server
   * @param httpAddress host:port of its HTTP server
   * @param flightAddress host:port of its Flight server
   * @param zone failure zone ({@code ""} when unknown)
   */
  record JoinRequest(String id, String raftAddress, String httpAddress, String flightAddress, String zone) {
    /** Validates the required fields. */
    public JoinRequest {
      if (id == null || id.isBlank() || raftAddress == null || raftAddress.isBlank()) {
        throw new WebException(ErrorCode.BAD_REQUEST, "node id and raft address are required [id=" + id
            + ", raft=" + raftAddress + "]");
      }
      zone = zone == null ? "" : zone;
    }
  }
}
