package io.quiver.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node needs to run its {@link RaftNode}. Immutable, validated once; {@link RaftPropertiesFactory}
 * derives every Ratis property from it (no other class sets Ratis keys).
 *
 * @param nodeId stable node identity, also the Ratis peer id
 * @param host advertised and bind host of the Raft port
 * @param raftPort Raft (gRPC) port; 0 picks a free port (tests), the bound port is then read back after start
 * @param httpPort advertised HTTP port (only recorded in the metadata group)
 * @param flightPort advertised Flight port (only recorded in the metadata group)
 * @param dataDir the node's data directory: {@code raft/} (Ratis storage), {@code removed-groups/}, {@code node.id}
 * @param zone failure domain (rack, AZ) used by placement
 * @param clusterId cluster name; part of every group id, so all nodes of a cluster must agree (default "quiver")
 * @param seeds Raft addresses of other cluster nodes (http/flight ports ignored), used to find the metadata group
 *     when this node does not host it (a fresh or wiped node); may be empty
 * @param timeouts Raft and control-plane timings
 */
public record RaftNodeConfig(
    String nodeId,
    String host,
    int raftPort,
    int httpPort,
    int flightPort,
    Path dataDir,
    String zone,
    String clusterId,
    List<NodeAddress> seeds,
    Timeouts timeouts) {

  /** Default cluster id (cluster name); see {@link GroupIds}. */
  public static final String DEFAULT_CLUSTER_ID = "quiver";

  /** Validates. */
  public RaftNodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(timeouts, "timeouts");
    seeds = seeds == null ? List.of() : List.copyOf(seeds);
    zone = zone == null || zone.isBlank() ? "default" : zone;
    clusterId = clusterId == null || clusterId.isBlank() ? DEFAULT_CLUSTER_ID : clusterId;
    // Reuses NodeAddress' validation of id, host and ports.
    new NodeAddress(nodeId, host, raftPort, httpPort, flightPort);
    if (!clusterId.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("invalid cluster id [clusterId=" + clusterId + "]");
    }
  }

  /** A config with production timeouts, zone "default" and cluster id "quiver". */
  public static RaftNodeConfig of(String nodeId, String host, int raftPort, Path dataDir) {
    return new RaftNodeConfig(nodeId, host, raftPort, 0, 0, dataDir, "default", DEFAULT_CLUSTER_ID, List.of(),
        Timeouts.production());
  }

  /** Copy with advertised HTTP and Flight ports. */
  public RaftNodeConfig withPorts(int newHttpPort, int newFlightPort) {
    return new RaftNodeConfig(
        nodeId, host, raftPort, newHttpPort, newFlightPort, dataDir, zone, clusterId, seeds, timeouts);
  }

  /** Copy with another Raft port (used after binding port 0). */
  public RaftNodeConfig withRaftPort(int newRaftPort) {
    return new RaftNodeConfig(
        nodeId, host, newRaftPort, httpPort, flightPort, dataDir, zone, clusterId, seeds, timeouts);
  }

  /** Copy with another zone. */
  public RaftNodeConfig withZone(String newZone) {
    return new RaftNodeConfig(
        nodeId, host, raftPort, httpPort, flightPort, dataDir, newZone, clusterId, seeds, timeouts);
  }

  /** Copy with another cluster id. */
  public RaftNodeConfig withClusterId(String newClusterId) {
    return new RaftNodeConfig(
        nodeId, host, raftPort, httpPort, flightPort, dataDir, zone, newClusterId, seeds, timeouts);
  }

  /** Copy with other timeouts. */
  public RaftNodeConfig withTimeouts(Timeouts newTimeouts) {
    return new RaftNodeConfig(
        nodeId, host, raftPort, httpPort, flightPort, dataDir, zone, clusterId, seeds, newTimeouts);
  }

  /** Copy with other seeds. */
  public RaftNodeConfig withSeeds(List<NodeAddress> newSeeds) {
    return new RaftNodeConfig(nodeId, host, raftPort, httpPort, flightPort, dataDir, zone, clusterId, newSeeds,
        timeouts);
  }

  /** The advertised address of this node. */
  public NodeAddress address() {
    return new NodeAddress(nodeId, host, raftPort, httpPort, flightPort);
  }

  /** Ratis storage directory (one directory per group below it). */
  public Path raftStorageDir() {
    return dataDir.resolve("raft");
  }

  /** Where Ratis moves removed groups when asked to rename instead of delete. */
  public Path removedGroupsDir() {
    return dataDir.resolve("removed-groups");
  }

  /**
   * Raft and control-plane timings.
   *
   * @param electionMin election timeout lower bound ({@code raft.server.rpc.timeout.min}); heartbeats every min/2
   * @param electionMax election timeout upper bound
   * @param requestTimeout AppendEntries and client per-attempt timeout
   * @param heartbeatInterval how often a node reports liveness to the metadata group
   * @param downAfter a node not heard from this long is marked DOWN
   * @param replaceAfter a DOWN node's replicas are re-created elsewhere after this long
   * @param agentInterval period of the control agent (moves, liveness, rebalance)
   * @param snapshotThreshold applied entries between automatic snapshots
   * @param segmentSizeBytes Raft log segment size (purge granularity)
   */
  public record Timeouts(
      Duration electionMin,
      Duration electionMax,
      Duration requestTimeout,
      Duration heartbeatInterval,
      Duration downAfter,
      Duration replaceAfter,
      Duration agentInterval,
      long snapshotThreshold,
      long segmentSizeBytes) {
    /** Validates ordering. */
    public Timeouts {
      if (electionMin.isNegative() || electionMin.isZero() || electionMax.compareTo(electionMin) <= 0) {
        throw new IllegalArgumentException(
            "election timeouts must satisfy 0 < min < max [min=" + electionMin + ", max=" + electionMax + "]");
      }
      if (downAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "downAfter must be at least two heartbeats [downAfter=" + downAfter + "]");
      }
      if (snapshotThreshold < 1 || segmentSizeBytes < 16 * 1024) {
        throw new IllegalArgumentException("invalid snapshot threshold or segment size");
      }
    }

    /**
     * Production: election timeout 500–1000 ms, heartbeats every 250 ms. Failover = detection (the first follower
     * to time out: on average ~600 ms after the leader dies) + one pre-vote/vote round + the client finding the new
     * leader, which keeps it under the 2 s target; 700–1400 ms measured 2.1–2.9 s on a loaded 2-core machine. A
     * follower that times out spuriously during a scheduling stall does not disrupt a live leader: its pre-vote is
     * refused by peers that still hear the leader. The Ratis default of 150–300 ms flaps on such a machine (notes
     * §9).
     */
    public static Timeouts production() {
      return new Timeouts(
          Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofSeconds(3), Duration.ofSeconds(1),
          Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMillis(250), 10_000, 8L * 1024 * 1024);
    }

    /** Tests: same election timing, fast liveness, small log segments and frequent snapshots. */
    public static Timeouts fastTest() {
      return new Timeouts(
          Duration.ofMillis(700), Duration.ofMillis(1400), Duration.ofSeconds(3), Duration.ofMillis(300),
          Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMillis(100), 100, 64 * 1024);
    }

    /** Copy with other DOWN/replace delays. */
    public Timeouts withDown(Duration newDownAfter, Duration newReplaceAfter) {
      return new Timeouts(electionMin, electionMax, requestTimeout, heartbeatInterval, newDownAfter, newReplaceAfter,
          agentInterval, snapshotThreshold, segmentSizeBytes);
    }
  }
}
