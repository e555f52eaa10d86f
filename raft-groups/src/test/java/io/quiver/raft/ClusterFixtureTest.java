package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.NodeState;
import java.time.Duration;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.Test;

class ClusterFixtureTest {

  @Test
  void shouldBootstrapThreeNodesWithMetadataAndShardGroups() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(4).replicationFactor(3).start()) {
      ClusterState s = c.state();
      assertThat(s.bootstrapped()).isTrue();
      assertThat(s.shardCount()).isEqualTo(4);
      assertThat(s.nodes()).hasSize(3);
      assertThat(s.nodes().values()).allMatch(n -> n.ordinal() >= 0);
      assertThat(s.shards()).allMatch(r -> r.replicas().size() == 3 && r.epoch() == 1);
      for (int shard = 0; shard < 4; shard++) {
        try (RaftClient client = c.shardClient(shard)) {
          assertThat(client.io().send(Message.valueOf("hello-" + shard)).isSuccess()).isTrue();
        }
      }
      // Every node heartbeats: all UP with their incarnation adopted.
      c.await("all nodes up with incarnations", Duration.ofSeconds(30), () -> c.state().nodes().values().stream()
          .allMatch(n -> n.state() == NodeState.UP && !n.incarnation().isEmpty()));
      ClusterStatus status = c.anyNode().admin().status().get();
      assertThat(status.healthy()).isTrue();
      assertThat(status.shards()).hasSize(4);
    }
  }
}
