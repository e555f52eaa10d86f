package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.Test;

/** The control agent spreads shard leaderships that all ended up on one node. */
class LeaderBalanceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int SHARDS = 6;

  @Test
  void shouldSpreadLeadershipsPiledOnOneNodeToWithinOne() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(SHARDS).replicationFactor(3).start()) {
      c.awaitShardLeaders();
      String pile = c.nodeId(0);
      for (int shard = 0; shard < SHARDS; shard++) {
        if (!pile.equals(c.shardLeader(shard))) {
          try (RaftClient client = c.shardClient(shard)) {
            client.admin().transferLeadership(RaftPeerId.valueOf(pile), 10_000);
          }
        }
      }
      // The balancer moves at most one leadership per pass (every downAfter = 3 s here) and may already have run
      // once while the pile was built, so right after it the spread is still at least 2: without the balancer it
      // would stay so, and the wait below would time out.
      Map<String, Integer> piled = leaderCounts(c);
      int spread = piled.values().stream().mapToInt(Integer::intValue).max().orElse(0)
          - piled.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      assertThat(spread).as("leaders per node after piling: %s", piled).isGreaterThanOrEqualTo(2);

      Map<String, Integer> balanced = c.await("leaderships within one per node", TIMEOUT, () -> {
        Map<String, Integer> counts = leaderCounts(c);
        int led = counts.values().stream().mapToInt(Integer::intValue).sum();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return led == SHARDS && counts.size() == 3 && max - min <= 1 ? counts : null;
      });
      assertThat(balanced.values()).containsOnly(2);
      // Balancing moves leaderships only: no replica moved.
      assertThat(c.state().activeMoves()).isEmpty();
      assertThat(c.state().moves()).isEmpty();
    }
  }

  /** Leaderships per live node, every node present (0 if it leads nothing); shards without a leader are skipped. */
  private static Map<String, Integer> leaderCounts(ClusterFixture c) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < c.size(); i++) {
      counts.put(c.nodeId(i), 0);
    }
    for (int shard = 0; shard < SHARDS; shard++) {
      String leader = c.shardLeader(shard);
      if (leader != null) {
        counts.merge(leader, 1, Integer::sum);
      }
    }
    return counts;
  }
}
