package io.quiver.raft.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetaCodecTest {
  private static final long SEED = Long.getLong("quiver.seed", System.nanoTime());

  static List<MetaCommand> sampleCommands() {
    NodeAddress a = new NodeAddress("n1", "127.0.0.1", 9002, 9000, 9001);
    NodeAddress b = new NodeAddress("n2", "127.0.0.1", 9012, 9010, 9011);
    NodeAddress c = new NodeAddress("n3", "127.0.0.1", 9022, 9020, 9021);
    NodeAddress d = new NodeAddress("n4", "10.0.0.4", 9032, 9030, 9031);
    return List.of(
        new MetaCommand.Bootstrap("quiver", "uuid-1", 2, 2,
            List.of(new MetaCommand.NodeSpec(a, "z1", "inc-a"), new MetaCommand.NodeSpec(b, "z2", ""),
                new MetaCommand.NodeSpec(c, "z3", "")),
            List.of(List.of("n1", "n2"), List.of("n2", "n3"))),
        new MetaCommand.Join(d, "z1", "inc-d"),
        new MetaCommand.SetIncarnation("n2", "inc-b"),
        new MetaCommand.SetNodeState("n4", NodeState.UP),
        new MetaCommand.StartMove(0, "n1", "n4", MoveKind.MANUAL),
        new MetaCommand.AdvanceMove(5, MoveState.PLANNED, MoveState.ADDING, "adding"),
        new MetaCommand.SetLeaderHint(1, "n3"),
        new MetaCommand.PutSetting("rebalance", "on"),
        new MetaCommand.CancelMove(5),
        new MetaCommand.ReadState());
  }

  @Test
  void shouldRoundTripEveryCommand() {
    for (MetaCommand c : sampleCommands()) {
      assertThat(MetaCodec.decodeCommand(MetaCodec.encode(c))).isEqualTo(c);
    }
  }

  @Test
  void shouldRoundTripStateResultAndQueries() {
    ClusterState s = applyAll(sampleCommands());
    assertThat(MetaCodec.decodeState(MetaCodec.encode(s))).isEqualTo(s);
    MetaResult r = MetaResult.error(ErrorCode.CONFLICT, "busy [shard=1]");
    assertThat(MetaCodec.decodeResult(MetaCodec.encode(r))).isEqualTo(r);
    MetaCodec.Query q = new MetaCodec.Query.Heartbeat("n1", "inc");
    assertThat(MetaCodec.decodeQuery(MetaCodec.encode(q))).isEqualTo(q);
  }

  @Test
  void shouldRejectMalformedInputWithCodeOnly() {
    Random random = new Random(SEED);
    List<byte[]> valid = new ArrayList<>();
    sampleCommands().forEach(c -> valid.add(MetaCodec.encode(c)));
    byte[] state = MetaCodec.encode(applyAll(sampleCommands()));
    for (int i = 0; i < 20_000; i++) {
      byte[] base = valid.get(random.nextInt(valid.size()));
      byte[] input = mutate(base, random);
      try {
        MetaCommand decoded = MetaCodec.decodeCommand(input);
        // A mutation may still be a valid command; it must then survive a round trip.
        assertThat(MetaCodec.decodeCommand(MetaCodec.encode(decoded))).as("seed=%d", SEED).isEqualTo(decoded);
      } catch (RaftException e) {
        assertThat(e.code()).as("seed=%d", SEED).isEqualTo(ErrorCode.MALFORMED_ENTRY);
      }
      byte[] badState = mutate(state, random);
      try {
        MetaCodec.decodeState(badState);
      } catch (RaftException e) {
        assertThat(e.code()).as("seed=%d", SEED).isEqualTo(ErrorCode.MALFORMED_ENTRY);
      }
    }
    assertThatThrownBy(() -> MetaCodec.decodeCommand(new byte[] {9, 1})).isInstanceOf(RaftException.class);
    assertThatThrownBy(() -> MetaCodec.decodeState(new byte[0])).isInstanceOf(RaftException.class);
  }

  private static byte[] mutate(byte[] base, Random random) {
    byte[] out;
    switch (random.nextInt(4)) {
      case 0 -> out = java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
      case 1 -> {
        out = base.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      }
      case 2 -> {
        out = java.util.Arrays.copyOf(base, base.length + 1 + random.nextInt(8));
        for (int k = base.length; k < out.length; k++) {
          out[k] = (byte) random.nextInt(256);
        }
      }
      default -> {
        out = new byte[random.nextInt(64)];
        random.nextBytes(out);
      }
    }
    return out;
  }

  static ClusterState applyAll(List<MetaCommand> commands) {
    ClusterState s = ClusterState.empty();
    long index = 1;
    for (MetaCommand c : commands) {
      s = MetaApplier.apply(s, c, index++).state();
    }
    return s;
  }
}
