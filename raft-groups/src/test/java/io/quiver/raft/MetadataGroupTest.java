package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.NodeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MetadataGroupTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void shouldResumeClusterOperationsAfterTheMetadataLeaderIsKilled() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(2).replicationFactor(3).start()) {
      String oldLeader = c.awaitMetadataLeader();
      int slot = c.slot(oldLeader);
      c.kill(slot);
      String newLeader = c.await("new metadata leader", TIMEOUT, () -> {
        String l = c.metadataLeader();
        return l != null && !l.equals(oldLeader) ? l : null;
      });
      RaftNode survivor = c.node(newLeader);
      survivor.submit(new MetaCommand.PutSetting("after-failover", "yes")).get(30, TimeUnit.SECONDS);
      // The new leader's control agent takes over liveness: the killed node becomes DOWN...
      c.await("killed node marked down", TIMEOUT,
          () -> c.state().node(oldLeader).state() == NodeState.DOWN);
      ClusterStatus status = survivor.admin().status().get(30, TimeUnit.SECONDS);
      assertThat(status.healthy()).as("majority of every shard alive").isTrue();
      assertThat(status.nodes()).anyMatch(n -> n.address().nodeId().equals(oldLeader) && n.state().equals("down"));
      // ...and UP again once it is back.
      c.restart(slot);
      c.await("restarted node up", TIMEOUT, () -> c.state().node(oldLeader).state() == NodeState.UP);
      c.awaitShardLeaders();
      assertThat(c.state().settings()).containsEntry("after-failover", "yes");
    }
  }

  @Test
  void shouldRestoreTheMetadataStateFromSnapshotAndLogAfterAFullRestart() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(2).replicationFactor(3).start()) {
      RaftNode any = c.anyNode();
      // More commands than the snapshot threshold (100 in fastTest) so the group snapshots and purges.
      for (int i = 0; i < 130; i++) {
        any.submit(new MetaCommand.PutSetting("k" + (i % 7), "v" + i)).get(30, TimeUnit.SECONDS);
      }
      ClusterState before = c.state();
      Path smDir = c.dataDir(0).resolve("raft").resolve(any.metadataGroupId().getUuid().toString()).resolve("sm");
      c.await("metadata snapshot written", TIMEOUT, () -> snapshotCount(smDir) > 0);
      for (int i = 0; i < c.size(); i++) {
        c.kill(i);
      }
      for (int i = 0; i < c.size(); i++) {
        c.restart(i);
      }
      c.awaitMetadataLeader();
      ClusterState after = c.state();
      assertThat(after.clusterUuid()).isEqualTo(before.clusterUuid());
      assertThat(after.settings()).isEqualTo(before.settings());
      assertThat(after.shards()).isEqualTo(before.shards());
      assertThat(after.nodes().keySet()).isEqualTo(before.nodes().keySet());
      assertThat(after.version()).isGreaterThanOrEqualTo(before.version());
      c.awaitShardLeaders();
    }
  }

  private static long snapshotCount(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("snapshot.") && !p.toString().endsWith(".md5"))
          .count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
