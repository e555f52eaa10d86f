package io.quiver.node;

import io.quiver.raft.ClusterAdmin;
import io.quiver.raft.ClusterStatus;
import io.quiver.raft.NodeAddress;
import io.quiver.web.AdminService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The admin HTTP API over {@link ClusterAdmin}. {@link #status()} defines the JSON document of
 * {@code GET /api/admin/status} that the CLI ({@code bin/quiver status}) and the admin UI read.
 */
final class ClusterAdminService implements AdminService {
  private final ClusterAdmin admin;

  ClusterAdminService(ClusterAdmin admin) {
    this.admin = admin;
  }

  @Override
  public CompletableFuture<Map<String, Object>> status() {
    return admin.status().thenApply(ClusterAdminService::toJson);
  }

  @Override
  public CompletableFuture<String> moveShard(MoveRequest request) {
    return admin.moveShard(request.shard(), request.fromNode(), request.toNode()).thenApply(String::valueOf);
  }

  @Override
  public CompletableFuture<Void> cancelMove(String moveId) {
    long id;
    try {
      id = Long.parseLong(moveId);
    } catch (NumberFormatException e) {
      throw new io.quiver.web.WebException(io.quiver.web.ErrorCode.BAD_REQUEST,
          "move id is not a number [id=" + moveId + "]");
    }
    return admin.cancelMove(id);
  }

  @Override
  public CompletableFuture<String> addNode(JoinRequest r) {
    NodeAddress address = new NodeAddress(r.id(), host(r.raftAddress()), port(r.raftAddress()),
        port(r.httpAddress()), port(r.flightAddress()));
    return admin.join(address, r.zone()).thenApply(String::valueOf);
  }

  @Override
  public CompletableFuture<Void> decommission(String nodeId) {
    return admin.decommission(nodeId);
  }

  static Map<String, Object> toJson(ClusterStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", s.clusterId());
    out.put("clusterUuid", s.clusterUuid());
    out.put("version", s.version());
    out.put("healthy", s.healthy());
    out.put("metadata", Map.of("leader", s.metadataLeader() == null ? "" : s.metadataLeader(),
        "voters", s.metadataVoters()));
    List<Object> nodes = new ArrayList<>();
    for (ClusterStatus.Node n : s.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", n.address().nodeId());
      m.put("zone", n.zone());
      m.put("ordinal", n.ordinal());
      m.put("state", n.state());
      m.put("replicas", n.replicas());
      m.put("raft", n.address().raftAddress());
      m.put("http", n.address().httpUrl());
      m.put("flight", n.address().flightUri());
      nodes.add(m);
    }
    out.put("nodes", nodes);
    List<Object> shards = new ArrayList<>();
    for (ClusterStatus.Shard sh : s.shards()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shard", sh.shard());
      m.put("epoch", sh.epoch());
      m.put("replicas", sh.replicas());
      m.put("leader", sh.leader());
      m.put("commitIndex", sh.commitIndex());
      m.put("hasQuorum", sh.hasQuorum());
      List<Object> members = new ArrayList<>();
      for (ClusterStatus.Replica r : sh.replicaStatus()) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("node", r.nodeId());
        rm.put("role", r.role());
        rm.put("commitIndex", r.commitIndex());
        rm.put("appliedIndex", r.appliedIndex());
        rm.put("lag", r.lag());
        members.add(rm);
      }
      m.put("members", members);
      shards.add(m);
    }
    out.put("shards", shards);
    List<Object> moves = new ArrayList<>();
    for (ClusterStatus.MoveInfo mv : s.moves()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", mv.id());
      m.put("shard", mv.shard());
      m.put("from", mv.from());
      m.put("to", mv.to());
      m.put("kind", mv.kind());
      m.put("state", mv.state());
      m.put("cancelRequested", mv.cancelRequested());
      m.put("note", mv.note());
      moves.add(m);
    }
    out.put("moves", moves);
    return out;
  }

  private static String host(String hostPort) {
    int i = hostPort.lastIndexOf(':');
    if (i <= 0) {
      throw new io.quiver.web.WebException(io.quiver.web.ErrorCode.BAD_REQUEST,
          "address must be host:port [address=" + hostPort + "]");
    }
    return hostPort.substring(0, i);
  }

  private static int port(String address) {
    if (address == null || address.isBlank()) {
      return 0;
    }
    String a = address.replaceFirst("^[a-z+]+://", "");
    int i = a.lastIndexOf(':');
    try {
      return Integer.parseInt(a.substring(i + 1).replaceAll("/.*$", ""));
    } catch (RuntimeException e) {
      throw new io.quiver.web.WebException(io.quiver.web.ErrorCode.BAD_REQUEST,
          "address must end in :port [address=" + address + "]");
    }
  }
}
