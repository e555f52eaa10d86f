package io.quiver.node;

import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreStats;
import io.quiver.raft.RaftNode;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.shard.ColumnarStores;
import io.quiver.raft.shard.Consistency;
import io.quiver.raft.shard.ShardStateMachine;
import io.quiver.raft.shard.ShardStats;
import io.quiver.web.MetricsSource;
import io.quiver.web.PrometheusTextWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.ratis.server.RaftServer;

/**
 * Per-shard and router gauges for {@code /metrics}: role, commit/applied index and lag of every local replica,
 * series count and segment bytes of its store, the router's counters, and the node's heads budget and store
 * maintenance counters.
 */
final class NodeMetrics implements MetricsSource {
  private final RaftNode raft;
  private final LocalShards local;
  private final ShardRouter router;
  private final ColumnarStores stores;

  NodeMetrics(RaftNode raft, LocalShards local, ShardRouter router, ColumnarStores stores) {
    this.raft = raft;
    this.local = local;
    this.router = router;
    this.stores = stores;
  }

  @Override
  public void writeTo(PrometheusTextWriter out) {
    List<Row> rows = rows();
    perReplica(out, rows, "quiver_shard_leader", "gauge", "1 if this node's replica leads the shard's Raft group.",
        r -> r.leader ? 1 : 0);
    perReplica(out, rows, "quiver_shard_commit_index", "gauge", "Raft commit index of this node's replica.",
        r -> r.commitIndex);
    perReplica(out, rows, "quiver_shard_applied_index", "gauge", "Last log index applied by this node's replica.",
        r -> r.appliedIndex);
    perReplica(out, rows, "quiver_shard_lag_entries", "gauge",
        "Commit index minus applied index of this node's replica.", r -> Math.max(0, r.commitIndex - r.appliedIndex));
    perReplica(out, rows, "quiver_shard_series", "gauge", "Series in this node's replica of the shard.", r -> r.series);
    perReplica(out, rows, "quiver_shard_segment_bytes", "gauge",
        "Bytes of sealed segment files of this node's replica.", r -> r.segmentBytes);
    perReplica(out, rows, "quiver_shard_head_samples", "gauge", "Samples in the in-memory head of this node's replica.",
        r -> r.headSamples);
    perReplica(out, rows, "quiver_shard_read_barriers_total", "counter",
        "Linearizable read barriers completed on this node's replica (reads that waited for a barrier entry).",
        r -> r.reads.linearizableBarriers());
    perReplica(out, rows, "quiver_shard_read_barrier_entries_total", "counter",
        "Read-barrier entries applied by this node's replica; one serves every read that shared it.",
        r -> r.reads.barrierEntries());
    perReplica(out, rows, "quiver_shard_read_barrier_nudges_total", "counter",
        "Extra barrier entries this follower proposed so the leader pushes it the commit index of a read at once.",
        r -> r.reads.barrierNudges());
    perReplica(out, rows, "quiver_shard_read_failures_total", "counter",
        "Read barriers that failed on this node's replica.", r -> r.reads.readFailures());
    var s = router.stats();
    out.family("quiver_router_committed_samples_total", "counter", "Samples the router saw committed.");
    out.sample("quiver_router_committed_samples_total", s.committedSamples());
    out.family("quiver_router_retries_total", "counter", "Shard write retries by the router.");
    out.sample("quiver_router_retries_total", s.retries());
    out.family("quiver_router_view_refreshes_total", "counter", "Shard-map refreshes by the router.");
    out.sample("quiver_router_view_refreshes_total", s.viewRefreshes());
    out.family("quiver_store_heads_bytes", "gauge", "Bytes the in-memory heads of all this node's replicas hold.");
    out.sample("quiver_store_heads_bytes", stores.heads().totalBytes());
    out.family("quiver_store_heads_limit_bytes", "gauge",
        "Heads budget of this node (quiver.store.heads.max.bytes); past it the largest head seals.");
    out.sample("quiver_store_heads_limit_bytes", stores.heads().limitBytes());
    out.family("quiver_store_maintenance_steps_total", "counter",
        "Store maintenance steps (retention drops, window compactions) that did work on this node.");
    out.sample("quiver_store_maintenance_steps_total", stores.maintenanceSteps());
    out.family("quiver_store_maintenance_failures_total", "counter",
        "Store maintenance steps that failed on this node (logged; retried at the next round).");
    out.sample("quiver_store_maintenance_failures_total", stores.maintenanceFailures());
  }

  /** One family with a sample per local replica, labelled by shard. */
  private static void perReplica(PrometheusTextWriter out, List<Row> rows, String name, String type, String help,
      ToLongFunction<Row> value) {
    out.family(name, type, help);
    rows.forEach(r -> out.sample(name, r.labels, value.applyAsLong(r)));
  }

  private List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    int shards = raft.lastKnownState().shardCount();
    for (int shard = 0; shard < shards; shard++) {
      ShardStateMachine sm = local.replica(shard).orElse(null);
      if (sm == null) {
        continue;
      }
      try {
        RaftServer.Division d = raft.ratisServer().getDivision(sm.getGroupId());
        ShardStore store = local.read(shard, Consistency.LOCAL, 0).getNow(null);
        StoreStats st = store == null ? null : store.stats();
        rows.add(new Row(Map.of("shard", Integer.toString(shard)), d.getInfo().isLeader(),
            d.getRaftLog().getLastCommittedIndex(), d.getInfo().getLastAppliedIndex(),
            st == null ? 0 : st.seriesCount(), st == null ? 0 : st.segmentBytes(), st == null ? 0 : st.headSamples(),
            sm.stats()));
      } catch (Exception e) {
        // A replica closing or installing a snapshot has no numbers right now; skip it this scrape.
      }
    }
    return rows;
  }

  private record Row(Map<String, String> labels, boolean leader, long commitIndex, long appliedIndex, long series,
      long segmentBytes, long headSamples, ShardStats reads) {}
}
