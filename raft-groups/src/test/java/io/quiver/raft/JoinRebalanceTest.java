package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import org.junit.jupiter.api.Test;

class JoinRebalanceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void shouldRebalanceReplicasOntoAJoinedFourthNode() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(6).replicationFactor(3).start()) {
      RaftNode joined = c.join("default");
      ClusterState s = c.await("balanced within one replica per node, no moves left", TIMEOUT, () -> {
        ClusterState st = c.state();
        NodeRecord n4 = st.node(joined.nodeId());
        if (n4 == null || n4.state() != NodeState.UP || !st.activeMoves().isEmpty()) {
          return null;
        }
        IntSummaryStatistics counts = st.nodes().values().stream()
            .mapToInt(n -> st.shardsOn(n.id()).size()).summaryStatistics();
        return counts.getMax() - counts.getMin() <= 1 ? st : null;
      });
      assertThat(s.node(joined.nodeId()).ordinal()).isEqualTo(3);
      assertThat(s.shardsOn(joined.nodeId())).hasSizeGreaterThanOrEqualTo(4);
      assertThat(s.moves().values()).allMatch(m -> m.state().name().equals("DONE"));
      // The joined node hosts exactly its replicas and is a member of the metadata group.
      c.await("joined node hosts its groups", TIMEOUT, () -> s.shardsOn(joined.nodeId()).stream()
          .allMatch(shard -> joined.contains(c.shardGroup(shard))) && joined.contains(joined.metadataGroupId()));
      for (int i = 0; i < 3; i++) {
        RaftNode n = c.node(i);
        int slot = i;
        c.await("old node dropped moved groups", TIMEOUT, () -> {
          for (int shard = 0; shard < s.shardCount(); shard++) {
            boolean should = s.shards().get(shard).replicas().contains(c.nodeId(slot));
            if (n.contains(c.shardGroup(shard)) != should) {
              return false;
            }
          }
          return true;
        });
      }
      c.awaitShardLeaders();
    }
  }
}
