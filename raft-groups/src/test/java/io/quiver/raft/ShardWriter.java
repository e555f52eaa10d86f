package io.quiver.raft;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * A background writer for control-plane tests: sends {@code "w:<epoch>:<payload>"} entries to one shard through a
 * Raft client built from the current view (like a router), refreshing the view and the client on any failure
 * (stale epoch, removed peer, leader change), with a bounded number of attempts per write.
 */
final class ShardWriter implements AutoCloseable {
  static final int MAX_ATTEMPTS = 30;

  private final ClusterFixture cluster;
  private final int shard;
  private final String prefix;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Thread thread;
  private volatile Throwable lastError;

  ShardWriter(ClusterFixture cluster, int shard, String prefix) {
    this.cluster = cluster;
    this.shard = shard;
    this.prefix = prefix;
    this.thread = new Thread(this::run, "shard-writer-" + shard);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    ClusterView view = cluster.view();
    RaftClient client = cluster.shardClient(shard);
    int seq = 0;
    try {
      while (running.get()) {
        String payload = prefix + "-" + seq++;
        boolean ok = false;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !ok; attempt++) {
          try {
            long epoch = view.shard(shard).epoch();
            RaftClientReply reply = client.io().send(Message.valueOf("w:" + epoch + ":" + payload));
            ok = reply.isSuccess();
            if (!ok) {
              throw reply.getException();
            }
          } catch (Exception e) {
            lastError = e;
            retries.incrementAndGet();
            closeQuietly(client);
            view = cluster.view();
            client = cluster.shardClient(shard);
          }
        }
        if (ok) {
          acked.add(payload);
        } else {
          failed.incrementAndGet();
        }
      }
    } finally {
      closeQuietly(client);
    }
  }

  int ackedCount() {
    return acked.size();
  }

  List<String> acked() {
    return List.copyOf(acked);
  }

  int failed() {
    return failed.get();
  }

  int retries() {
    return retries.get();
  }

  Throwable lastError() {
    return lastError;
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(60_000);
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (Exception e) {
      // channels only
    }
  }
}
