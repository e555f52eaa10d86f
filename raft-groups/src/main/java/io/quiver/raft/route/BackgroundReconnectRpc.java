package io.quiver.raft.route;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Ratis client transport that drops a peer's connection in the background.
 *
 * <p>When a request to a leader times out, Ratis' client picks another peer and resets the old peer's proxy, and
 * {@code GrpcUtil.shutdownManagedChannel} waits up to 3 s for that channel's calls to end, on the thread that handled
 * the timeout (Ratis' shared timeout executor), before the retry goes out. A leader that stops answering (paused by
 * GC or SIGSTOP, or cut off) therefore cost a write the attempt timeout plus 3 s. Here the reset is handed to a
 * daemon thread and the retry proceeds at once; everything else goes straight to the wrapped transport.
 *
 * <p>The retry normally goes to another peer. One that goes to the same peer before the reset has run uses the old
 * channel, fails when the reset closes it, and is retried like any failed attempt.
 */
final class BackgroundReconnectRpc implements RaftClientRpc {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundReconnectRpc.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** Resets are rare (one per lost leader per client) and each may block for seconds: a cached daemon pool. */
  private static final ExecutorService RESETS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "quiver-router-reconnect-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private final RaftClientRpc delegate;

  BackgroundReconnectRpc(RaftClientRpc delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableFuture<RaftClientReply> sendRequestAsync(RaftClientRequest request) {
    return delegate.sendRequestAsync(request);
  }

  @Override
  public CompletableFuture<RaftClientReply> sendRequestAsyncUnordered(RaftClientRequest request) {
    return delegate.sendRequestAsyncUnordered(request);
  }

  @Override
  public RaftClientReply sendRequest(RaftClientRequest request) throws IOException {
    return delegate.sendRequest(request);
  }

  @Override
  public void addRaftPeers(Collection<RaftPeer> peers) {
    delegate.addRaftPeers(peers);
  }

  @Override
  public boolean shouldReconnect(Throwable t) {
    return delegate.shouldReconnect(t);
  }

  @Override
  public boolean handleException(RaftPeerId serverId, Throwable t, boolean reconnect) {
    if (!reconnect && !delegate.shouldReconnect(t)) {
      return false;
    }
    RESETS.execute(() -> {
      try {
        delegate.handleException(serverId, t, true);
      } catch (RuntimeException e) {
        LOG.debug("background reconnect to {} failed", serverId, e);
      }
    });
    return true;
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
