package io.quiver.raft;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The one place where Ratis properties are derived (STYLE §4). All groups of a server share these properties
 * (notes §0.3), so every value is chosen for "many small groups per server".
 */
public final class RaftPropertiesFactory {
  /** Max entry size and max AppendEntries payload; client batches must stay well below it (notes §0.6). */
  public static final SizeInBytes APPENDER_BYTE_LIMIT = SizeInBytes.valueOf("1MB");
  /** gRPC message cap of servers and clients: the appender limit plus framing room (Ratis wants ≥ limit + 1 MB). */
  static final SizeInBytes GRPC_MESSAGE_SIZE_MAX = SizeInBytes.valueOf(APPENDER_BYTE_LIMIT.getSize() + (4L << 20));

  /** Entries a new replica may lag behind and still count as caught up when it joins a group. */
  public static final int STAGING_CATCHUP_GAP = 256;

  /** Sleep between a leader's attempts to reach a failing follower: about 1 ms ×10, 100 ms ×20, then 1 s. */
  public static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,20, 1s,100000";

  private RaftPropertiesFactory() {}

  /** Server properties of node {@code config}. */
  public static RaftProperties server(RaftNodeConfig config) {
    RaftProperties p = new RaftProperties();
    RaftNodeConfig.Timeouts t = config.timeouts();
    // Storage: one dir, groups recovered with RECOVER at boot; removed groups stay on the data volume.
    RaftServerConfigKeys.setStorageDir(p, List.of(config.raftStorageDir().toFile()));
    RaftServerConfigKeys.setRemovedGroupsDir(p, config.removedGroupsDir().toFile());
    // Transport: always set host and port (the default port 0 is random).
    GrpcConfigKeys.Server.setHost(p, config.host());
    GrpcConfigKeys.Server.setPort(p, config.raftPort());
    GrpcConfigKeys.setMessageSizeMax(p, GRPC_MESSAGE_SIZE_MAX);
    // Elections: see RaftNodeConfig.Timeouts.production() for the failover budget.
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, duration(t.electionMin()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, duration(t.electionMax()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, duration(t.electionMin()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, duration(t.electionMax()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, duration(t.requestTimeout()));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    // A leader retries a failing follower about every second (Ratis draws 0.5-1.5 x the step), where its default
    // ("1ms,10, 1s,20, 5s,1000") waits about 5 s after 30 errors. A node restarted after 45 s down served a
    // linearizable read 7.5-11.3 s after its restart with the default, 2.7-4.5 s with this (3 runs each,
    // docs/benchmarks.md). Past 100,000 errors (28 h) Ratis stops sleeping; a node down that long has long been
    // replaced (Timeouts.replaceAfter).
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);
    setConsistencyKeys(p);
    RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(5, TimeUnit.SECONDS));
    // Memory per division (notes §8): 1 MB appender limit, write buffer = limit + 8, two cached segments.
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, APPENDER_BYTE_LIMIT);
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(APPENDER_BYTE_LIMIT.getSize() + 8));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(t.segmentSizeBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(t.segmentSizeBytes(), 4L << 20)));
    // Snapshots: auto-trigger (also enables trigger-when-remove), purge up to the snapshot index so a dead
    // replica does not pin the log; stragglers get a snapshot instead.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, t.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, t.snapshotThreshold() / 2)));
    // Staging (a joining replica): caught up within this many entries; staging fails if it stays silent.
    RaftServerConfigKeys.setStagingCatchupGap(p, STAGING_CATCHUP_GAP);
    RaftServerConfigKeys.setStagingTimeout(p, duration(t.electionMax().multipliedBy(5)));
    return p;
  }

  /**
   * The keys Quiver's consistency and recovery rest on, where Ratis' defaults are wrong for it. Production servers
   * get them from {@link #server}; test clusters with their own timeouts call this so they cannot drift from
   * production here.
   */
  public static void setConsistencyKeys(RaftProperties p) {
    // No log-metadata entries. By default a leader appends a METADATAENTRY (the new commit index) to the log after
    // every commit and replicates and fsyncs it like data, so every write costs two log entries, two rounds of
    // AppendEntries and six fsyncs at RF 3. Quiver does not need the entry: a restarted replica learns the commit
    // index from the leader, as in plain Raft, and applies its log tail then (the store's lastAppliedIndex makes the
    // replay idempotent); a replica without a quorum serves nothing anyway. Apache Ozone's OM turns it off too.
    // Measured (docs/benchmarks.md): http-ingest 109-126k -> 147-149k samples/s, half the log entries.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    // Reads: Ratis' default is not linearizable (notes §5); lease stays off (no clock-drift assumption).
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // Follower appends one AppendEntries at a time. Ratis' default "composed" appends (3.3.0) drop the extra entries
    // of a request that starts where an in-flight one does, yet acknowledge them: the follower's log misses entries
    // the leader counts it for, and an idle group's heartbeat/INCONSISTENCY loop never resends them (pinned by
    // org.apache.ratis.server.impl.ComposedAppendDropsEntriesTest; docs/design/raft-groups.md, "Ratis behaviours").
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
  }

  /**
   * Client properties for control-plane calls (group management, setConfiguration, metadata commands). The
   * per-attempt timeout is longer than the server's because setConfiguration waits for a catch-up (notes §0.11).
   */
  public static RaftProperties adminClient(RaftNodeConfig config) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, duration(config.timeouts().requestTimeout().multipliedBy(2)));
    GrpcConfigKeys.setMessageSizeMax(p, GRPC_MESSAGE_SIZE_MAX);
    return p;
  }

  /**
   * Client properties for the data path (the shard routers' writes): a per-attempt timeout of two maximum election
   * timeouts. A leader that stops answering without closing its connections (a paused process, a partition) is left
   * after about one election, when a successor can exist; with the admin client's timeout a write waited 9 s for a
   * paused leader. A retry carries the same call id, so an attempt that commits late is deduplicated by the
   * leader's retry cache.
   */
  public static RaftProperties routerClient(RaftNodeConfig config) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, duration(config.timeouts().electionMax().multipliedBy(2)));
    GrpcConfigKeys.setMessageSizeMax(p, GRPC_MESSAGE_SIZE_MAX);
    return p;
  }

  static TimeDuration duration(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  static File file(java.nio.file.Path path) {
    return path.toFile();
  }
}
