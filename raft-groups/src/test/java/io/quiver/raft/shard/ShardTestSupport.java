package io.quiver.raft.shard;

import io.quiver.raft.ClusterView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/** Public face of the package-private shard-group harness, for router tests in another package. */
public final class ShardTestSupport implements AutoCloseable {
  private final ShardTestCluster cluster;

  private ShardTestSupport(ShardTestCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts 3 servers and {@code shards} shard groups on all of them; waits for leaders. */
  public static ShardTestSupport start(Path dir, int shards) throws Exception {
    ShardTestCluster c = new ShardTestCluster(dir, 3, p -> {});
    try {
      c.startAll();
      for (int s = 0; s < shards; s++) {
        c.addShard(s);
      }
      for (int s = 0; s < shards; s++) {
        c.awaitLeader(s, Duration.ofSeconds(30));
      }
      return new ShardTestSupport(c);
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  /** Node ids. */
  public List<String> nodes() {
    return new ArrayList<>(cluster.nodes.keySet());
  }

  /** A view: every shard on every node with {@code epoch}. */
  public ClusterView view(int shards, long version, long epoch) {
    return cluster.view(shards, version, epoch);
  }

  /** Proposes raw bytes to a shard group; fails on an unsuccessful reply. */
  public RaftClientReply send(int shard, byte[] bytes) throws Exception {
    RaftClient c = cluster.client(shard);
    RaftClientReply r = c.io().send(Message.valueOf(ByteString.copyFrom(bytes)));
    if (!r.isSuccess()) {
      throw new AssertionError("send failed: " + r.getException());
    }
    return r;
  }

  /** The replica's store after a linearizable read barrier (retried while retryable). */
  public FileShardData linearizable(String node, int shard) throws Exception {
    return ShardStateMachineTest.linearizable(cluster.sm(node, shard));
  }

  /** The replica's state machine. */
  public ShardStateMachine sm(String node, int shard) {
    return cluster.sm(node, shard);
  }

  /** The shard leader once ready. */
  public String awaitLeader(int shard) {
    return cluster.awaitLeader(shard, Duration.ofSeconds(30));
  }

  /** Stops a node (keeps its data). */
  public void stop(String node) throws Exception {
    cluster.stop(node);
  }

  /** Restarts a stopped node on its old port. */
  public void start(String node) throws Exception {
    cluster.start(node);
  }

  /** Waits for a condition with a deadline. */
  public static void await(String what, long timeoutMs, java.util.function.BooleanSupplier cond) {
    ShardTestCluster.await(what, Duration.ofMillis(timeoutMs), cond);
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }

  static long unusedSeconds() {
    return TimeUnit.SECONDS.toSeconds(1);
  }
}
