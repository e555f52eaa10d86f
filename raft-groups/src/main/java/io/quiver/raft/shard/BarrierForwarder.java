package io.quiver.raft.shard;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's way to the leader for read barriers: one Ratis client per replica, created on the first forwarded
 * barrier from the group's current peers and kept while it works. Ratis' client follows leader changes itself; after
 * any failure the client is closed and the next barrier builds a new one (an exhausted Ratis client closes its
 * ordered window for good), and the failure is reported as an {@link IOException}, which the caller retries until its
 * read deadline.
 */
final class BarrierForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierForwarder.class);
  private static final long RETRY_SLEEP_MS = 100;

  /** The group to reach; throws if the replica is closed. */
  interface GroupSource {
    RaftGroup group() throws IOException;
  }

  private final GroupSource groups;
  private RaftClient client; // guarded by this
  private boolean closed; // guarded by this

  BarrierForwarder(GroupSource groups) {
    this.groups = groups;
  }

  /** Sends {@code barrier} to the group's leader; completes with its reply or an {@link IOException}. */
  CompletableFuture<RaftClientReply> send(Message barrier, long timeoutMs) {
    RaftClient c;
    try {
      c = client(timeoutMs);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(new IOException("no client to the leader: " + e, e));
    }
    return c.async().send(barrier)
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .handle((reply, error) -> {
          if (error == null && reply.isSuccess()) {
            return CompletableFuture.completedFuture(reply);
          }
          drop(c);
          Throwable cause = error != null ? error : reply.getException();
          return CompletableFuture.<RaftClientReply>failedFuture(
              new IOException("read barrier not committed through the leader: " + cause, cause));
        })
        .thenCompose(f -> f);
  }

  private synchronized RaftClient client(long timeoutMs) throws IOException {
    if (closed) {
      throw new IOException("replica closed");
    }
    if (client == null) {
      RaftProperties p = new RaftProperties();
      RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeoutMs, TimeUnit.MILLISECONDS));
      client = RaftClient.newBuilder()
          .setRaftGroup(groups.group())
          .setProperties(p)
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
              (int) Math.max(1, timeoutMs / RETRY_SLEEP_MS), TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
          .build();
    }
    return client;
  }

  private void drop(RaftClient failed) {
    synchronized (this) {
      if (client != failed) {
        return;
      }
      client = null;
    }
    closeQuietly(failed);
  }

  @Override
  public void close() {
    RaftClient c;
    synchronized (this) {
      closed = true;
      c = client;
      client = null;
    }
    if (c != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("barrier client close failed", e);
    }
  }
}
