package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.RaftNodeConfig;
import io.quiver.raft.RaftPropertiesFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane's assumptions about the node's Ratis properties (set by raft-control's RaftPropertiesFactory). */
class ShardRaftPropertiesTest {
  @TempDir Path tmp;

  @Test
  void shouldConfigureLinearizableReadIndexWithoutLeaseAndAnEntryCapUnderTheAppenderLimit() {
    RaftProperties p = RaftPropertiesFactory.server(RaftNodeConfig.of("n1", "127.0.0.1", 0, tmp));
    // Ratis' default read option answers from a possibly deposed leader. Quiver's own barriers go through the log,
    // but any client sendReadOnly must still get ReadIndex, not a plain local read.
    assertThat(RaftServerConfigKeys.Read.option(p)).isEqualTo(RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    assertThat(RaftServerConfigKeys.Read.leaderLeaseEnabled(p)).isFalse();
    // An entry over the appender byte limit makes the leader step down; replicas reject well before that.
    long appenderLimit = RaftServerConfigKeys.Log.Appender.bufferByteLimit(p).getSize();
    assertThat((long) ShardStateMachineContext.DEFAULT_MAX_ENTRY_BYTES).isLessThanOrEqualTo(appenderLimit / 2);
    // Snapshot install must stay leader-driven: the shard snapshot is shipped by Ratis (notes §4).
    assertThat(RaftServerConfigKeys.Log.Appender.installSnapshotEnabled(p)).isTrue();
    // Composed follower appends acknowledge entries they never write (ComposedAppendDropsEntriesTest).
    assertThat(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(p)).isFalse();
    // A commit appends no METADATAENTRY (half the log entries per write); restart relies on the leader instead.
    assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(p)).isFalse();
    // A follower back from an outage is retried about every second (Ratis draws 0.5-1.5 x), not every 5 s.
    assertThat(RaftServerConfigKeys.Log.Appender.retryPolicy(p)).isEqualTo(RaftPropertiesFactory.APPENDER_RETRY_POLICY);
    assertThat(org.apache.ratis.retry.RetryPolicy.parse(RaftPropertiesFactory.APPENDER_RETRY_POLICY, "policy")
        .handleAttemptFailure(() -> 10_000).getSleepTime().toLong(TimeUnit.MILLISECONDS)).isBetween(500L, 1500L);
  }

  @Test
  void shouldGiveTheRouterAPerAttemptTimeoutOfTwoElectionsAndTheAdminClientALongerOne() {
    RaftNodeConfig config = RaftNodeConfig.of("n1", "127.0.0.1", 0, tmp);
    long electionMaxMs = config.timeouts().electionMax().toMillis();
    // A write to a leader that stopped answering moves on after about one election, not after an admin timeout.
    assertThat(RaftClientConfigKeys.Rpc.requestTimeout(RaftPropertiesFactory.routerClient(config))
        .toLong(TimeUnit.MILLISECONDS)).isEqualTo(2 * electionMaxMs);
    assertThat(RaftClientConfigKeys.Rpc.requestTimeout(RaftPropertiesFactory.adminClient(config))
        .toLong(TimeUnit.MILLISECONDS)).isGreaterThan(2 * electionMaxMs);
  }
}
