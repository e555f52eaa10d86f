package io.quiver.raft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.junit.jupiter.api.Test;

class BackgroundReconnectRpcTest {
  /** A transport whose reconnect blocks like Ratis' graceful channel shutdown of a call that never ends. */
  private static final class BlockingReset implements RaftClientRpc {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch resetDone = new CountDownLatch(1);
    final AtomicReference<String> resetThread = new AtomicReference<>();
    final AtomicReference<RaftPeerId> resetPeer = new AtomicReference<>();

    @Override
    public RaftClientReply sendRequest(RaftClientRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean handleException(RaftPeerId serverId, Throwable t, boolean reconnect) {
      resetThread.set(Thread.currentThread().getName());
      resetPeer.set(serverId);
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      resetDone.countDown();
      return true;
    }

    @Override
    public void addRaftPeers(java.util.Collection<org.apache.ratis.protocol.RaftPeer> peers) {}

    @Override
    public void close() {}
  }

  @Test
  void shouldReturnAtOnceAndResetThePeerOnAnotherThread() throws Exception {
    BlockingReset transport = new BlockingReset();
    BackgroundReconnectRpc rpc = new BackgroundReconnectRpc(transport);
    RaftPeerId leader = RaftPeerId.valueOf("n1");

    long start = System.nanoTime();
    assertThat(rpc.handleException(leader, new TimeoutIOException("request timed out"), true)).isTrue();
    // The caller (Ratis' timeout thread, about to send the retry) is not held by the blocked reset.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
    assertThat(transport.resetDone.getCount()).isEqualTo(1);

    transport.release.countDown();
    assertThat(transport.resetDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(transport.resetPeer.get()).isEqualTo(leader);
    assertThat(transport.resetThread.get()).startsWith("quiver-router-reconnect-");
  }

  @Test
  void shouldLeaveErrorsThatNeedNoReconnectToTheCaller() {
    BlockingReset transport = new BlockingReset();
    BackgroundReconnectRpc rpc = new BackgroundReconnectRpc(transport);
    // Not a connection problem and no reconnect asked for: nothing to do, as Ratis' own transport answers.
    assertThat(rpc.handleException(RaftPeerId.valueOf("n1"), new IllegalStateException("x"), false)).isFalse();
    assertThat(transport.resetThread.get()).isNull();
  }
}
