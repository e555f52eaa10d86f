package org.apache.ratis.server.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.MetadataProto;
import org.junit.jupiter.api.Test;

/**
 * Pins the Ratis 3.3.0 follower behaviour that makes Quiver turn off
 * {@code raft.server.log.append-entries.compose.enabled} (see {@code io.quiver.raft.RaftPropertiesFactory}). The test
 * lives in Ratis' package because the class is package-private; it uses no other internals.
 *
 * <p>With compose enabled, a follower hands AppendEntries to its log through {@code ServerImplUtils.NavigableIndices}.
 * When a second request starts at the same index as one still being appended, {@code alreadyExists} treats the whole
 * request as a duplicate <em>by its start index alone</em>, so the entries the second request has beyond the first are
 * never appended, yet the follower replies SUCCESS with the second request's last index as its match index. A leader
 * re-sends from the same index whenever two INCONSISTENCY replies reset a follower's next index (after a restart, for
 * instance), and its second request carries any entry appended in between. Seen in {@code ShardRouterClusterTest}: the
 * leader believed a restarted follower held entry 72, the follower's log ended at 71, and the leader's heartbeat /
 * INCONSISTENCY loop never resent 72, so the follower's commit index and linearizable reads stalled. Worse, the leader
 * may count such a follower towards the majority of an entry it does not hold.
 *
 * <p>If this test fails after a Ratis upgrade, the drop is fixed upstream: re-measure with compose enabled and
 * reconsider the setting.
 */
class ComposedAppendDropsEntriesTest {

  @Test
  void shouldNotAppendTheEntriesALongerRequestAddsWhileAShorterOneFromTheSameIndexIsInFlight() throws Exception {
    ServerImplUtils.NavigableIndices indices = new ServerImplUtils.NavigableIndices();
    CompletableFuture<Void> firstWrite = new CompletableFuture<>(); // the log has not finished the first request
    List<List<LogEntryProto>> handedToLog = new CopyOnWriteArrayList<>(); // appends run on the common pool

    indices.append(entries(55, 71), e -> {
      handedToLog.add(e);
      return firstWrite;
    });
    CompletableFuture<Void> second = indices.append(entries(55, 72), e -> {
      handedToLog.add(e);
      return CompletableFuture.completedFuture(null);
    });
    firstWrite.complete(null);

    second.get(10, TimeUnit.SECONDS); // done: the follower now replies SUCCESS with matchIndex 72
    assertThat(handedToLog).hasSize(1);
    assertThat(handedToLog.get(0)).extracting(LogEntryProto::getIndex).endsWith(71L); // entry 72: never written
  }

  /** Entries {@code from..to}, term 1 up to 70 and term 2 after, like a log that crosses a leader change at 71. */
  private static List<LogEntryProto> entries(long from, long to) {
    List<LogEntryProto> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(LogEntryProto.newBuilder().setIndex(i).setTerm(i < 71 ? 1 : 2)
          .setMetadataEntry(MetadataProto.newBuilder().setCommitIndex(i - 1)).build());
    }
    return out;
  }
}
