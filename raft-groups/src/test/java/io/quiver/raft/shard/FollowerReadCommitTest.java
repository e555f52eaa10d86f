package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.index.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's linearizable read does not wait for the leader's next heartbeat. Without log-metadata entries
 * (RaftPropertiesFactory) Ratis tells a follower the new commit index only with new entries or a heartbeat, so a
 * follower whose forwarded barrier had committed applied it up to {@code electionMin / 2} later. Here the heartbeat is
 * 6 s: a read that waited for it would take seconds, one that nudges the leader takes a few round trips.
 */
@Timeout(120)
class FollowerReadCommitTest {
  private static final Labels SERIES = Labels.of("__name__", "temp", "room", "lab");
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private ShardTestCluster cluster;

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldApplyAFollowersReadBarrierWithoutWaitingForAHeartbeat() throws Exception {
    cluster = new ShardTestCluster(tmp, 3, p -> {
      // First election as usual; afterwards heartbeats every electionMin / 2 = 6 s.
      RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(12, TimeUnit.SECONDS));
      RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(24, TimeUnit.SECONDS));
      RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
      RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    });
    cluster.startAll();
    cluster.addShard(0);
    String leader = cluster.awaitLeader(0, DEADLINE);
    String follower = cluster.peers().stream().map(p -> p.getId().toString()).filter(id -> !id.equals(leader))
        .findFirst().orElseThrow();
    RaftClient client = cluster.client(0);
    ShardStateMachineTest.reply(client.io().send(ShardStateMachineTest.write(0, SERIES, 1, 1)));
    ShardStateMachine sm = cluster.sm(follower, 0);
    ShardStateMachineTest.linearizable(sm); // the forwarding client exists now

    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      long index = sm.linearizableBarrier().get(30, TimeUnit.SECONDS);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(sm.getLastAppliedTermIndex().getIndex()).isGreaterThanOrEqualTo(index);
      // Half the heartbeat interval: far above a few loopback round trips, far below a heartbeat wait.
      assertThat(tookMs).as("read %d on a follower", i).isLessThan(3_000);
    }
    assertThat(sm.stats().barrierNudges()).isPositive();
  }
}
