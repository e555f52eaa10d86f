package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.index.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linearizable reads on a leader that a partition has just cut off from its followers, before it notices and steps
 * down (up to one election timeout). Ratis' ReadIndex must not be trusted there: {@code ReadIndexHeartbeats} answers
 * a read index that an <em>earlier</em> heartbeat round acknowledged without a new round, so an isolated leader whose
 * commit index cannot move would serve every read from its frozen state while a new leader commits writes.
 *
 * <p>The partition is made with Ratis' own test injection points ({@code RaftServerImpl.appendEntries} and
 * {@code .requestVote} run before a server handles the request): every append or vote to or from the isolated leader
 * fails on arrival, as if the network dropped it. Nothing else of Ratis is touched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IsolatedLeaderReadTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final Labels SERIES = Labels.of("__name__", "temp", "room", "lab");
  private static final List<String> INJECTION_POINTS =
      List.of("RaftServerImpl.appendEntries", "RaftServerImpl.requestVote");

  @TempDir Path tmp;
  private ShardTestCluster cluster;

  @AfterEach
  void tearDown() throws Exception {
    INJECTION_POINTS.forEach(CodeInjectionForTesting::remove);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldNotAnswerALinearizableReadOnALeaderCutOffFromItsFollowers() throws Exception {
    cluster = new ShardTestCluster(tmp, 3, p -> {});
    cluster.startAll();
    cluster.addShard(0);
    String leader = cluster.awaitLeader(0, DEADLINE);
    RaftClient client = cluster.client(0);
    ShardStateMachineTest.reply(client.io().send(ShardStateMachineTest.write(0, SERIES, 1, 1)));
    ShardStateMachine sm = cluster.sm(leader, 0);
    ShardStateMachineTest.linearizable(sm); // a heartbeat round has now acknowledged the current commit index

    AtomicInteger dropped = partition(leader);
    assertThat(cluster.division(leader, 0).getInfo().isLeader()).as("still leads right after the cut").isTrue();
    CompletableFuture<ShardData> read = sm.readBarrier(Consistency.LINEARIZABLE, 0);

    // No majority can confirm this leader any more: the read must fail (or time out), never succeed.
    assertThatThrownBy(() -> read.get(15, TimeUnit.SECONDS)).hasCauseInstanceOf(io.quiver.raft.RaftException.class);
    assertThat(dropped).as("the partition dropped requests").hasPositiveValue();
  }

  /** Drops every append and vote request to or from {@code node}; returns the count of dropped requests. */
  private static AtomicInteger partition(String node) {
    AtomicInteger dropped = new AtomicInteger();
    CodeInjectionForTesting.Code drop = (localId, remoteId, args) -> {
      if (node.equals(String.valueOf(localId)) || node.equals(String.valueOf(remoteId))) {
        dropped.incrementAndGet();
        throw new IllegalStateException("partitioned: " + remoteId + " -> " + localId);
      }
      return false;
    };
    INJECTION_POINTS.forEach(point -> CodeInjectionForTesting.put(point, drop));
    return dropped;
  }
}
