package io.quiver.raft.meta;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * Async client of the metadata group: commands (replicated) and linearizable reads of the whole state. Bounded
 * retries (about {@code attempts x 200 ms} plus per-attempt timeouts), then the future fails with
 * {@link ErrorCode#UNAVAILABLE}.
 */
public final class MetaClient implements AutoCloseable {
  private final RaftClient client;

  /**
   * @param groupId the metadata group
   * @param contact any members (voters or listeners) of the metadata group; the client follows leader hints
   * @param properties client properties ({@code RaftPropertiesFactory.adminClient})
   * @param attempts retries before giving up
   */
  public MetaClient(RaftGroupId groupId, Collection<NodeAddress> contact, RaftProperties properties, int attempts) {
    List<RaftPeer> peers = contact.stream()
        .map(a -> RaftPeer.newBuilder().setId(a.nodeId()).setAddress(a.raftAddress()).build())
        .toList();
    this.client = RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(groupId, peers))
        .setProperties(properties)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build();
  }

  /** Proposes {@code command}; completes with its result once committed and applied. */
  public CompletableFuture<MetaResult> submit(MetaCommand command) {
    return client.async().send(message(MetaCodec.encode(command)))
        .handle((reply, error) -> MetaCodec.decodeResult(content(reply, error, "metadata command")));
  }

  /**
   * Linearizable read of the whole state, through the log ({@link MetaCommand.ReadState}): one small entry per read.
   * Not Ratis' ReadIndex ({@code sendReadOnly}), which in Ratis 3.3.0 answers a read index that an earlier heartbeat
   * round acknowledged without confirming leadership again, so a partitioned or paused old leader could answer from
   * a state a newer leader has moved past (the shard-group equivalent is pinned by {@code IsolatedLeaderReadTest}).
   * Nodes act on this read, e.g. delete a replica's data only if the state confirms it is no longer assigned there.
   */
  public CompletableFuture<ClusterState> read() {
    return client.async().send(message(MetaCodec.encode(new MetaCommand.ReadState())))
        .handle((reply, error) -> MetaCodec.decodeState(content(reply, error, "metadata read")));
  }

  /**
   * Reports liveness of {@code nodeId} to the leader and replies with the leader's applied state. Deliberately a
   * leader-only (non-linearizable) read: with {@code LINEARIZABLE} reads a follower would answer a plain read-only
   * request itself, and only the leader's control agent acts on heartbeats. Callers that act on the returned state
   * in a way that needs linearizability confirm with {@link #read()}.
   */
  public CompletableFuture<ClusterState> heartbeat(String nodeId, String incarnation) {
    return client.async().sendReadOnlyNonLinearizable(message(MetaCodec.encode(
            new MetaCodec.Query.Heartbeat(nodeId, incarnation))))
        .handle((reply, error) -> MetaCodec.decodeState(content(reply, error, "metadata heartbeat")));
  }

  private static byte[] content(RaftClientReply reply, Throwable error, String what) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      ErrorCode code = RaftException.codeOf(cause);
      throw new RaftException(code == null ? ErrorCode.UNAVAILABLE : code, what + " failed [cause=" + cause + "]",
          cause);
    }
    if (!reply.isSuccess()) {
      Exception e = reply.getException();
      ErrorCode code = RaftException.codeOf(e);
      throw new RaftException(code == null ? ErrorCode.UNAVAILABLE : code, what + " failed [cause=" + e + "]", e);
    }
    return reply.getMessage().getContent().toByteArray();
  }

  private static Message message(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Closing a client only releases channels; nothing to recover.
    }
  }
}
