package io.quiver.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeJitTest {

  @Test
  void shouldRunC1OnlyWhenTheMachineHasFewerThanTwoCoresPerNode() {
    assertThat(NodeJit.AUTO.resolve(3, 2)).isEqualTo(NodeJit.C1);
    assertThat(NodeJit.AUTO.resolve(3, 5)).isEqualTo(NodeJit.C1);
    assertThat(NodeJit.AUTO.resolve(3, 6)).isEqualTo(NodeJit.TIERED);
    assertThat(NodeJit.AUTO.resolve(1, 2)).isEqualTo(NodeJit.TIERED);
  }

  @Test
  void shouldKeepAnExplicitChoiceWhateverTheMachine() {
    assertThat(NodeJit.TIERED.resolve(3, 2)).isEqualTo(NodeJit.TIERED);
    assertThat(NodeJit.C1.resolve(1, 64)).isEqualTo(NodeJit.C1);
  }

  @Test
  void shouldStopAtTierOneForC1AndAddNothingForTiered() {
    assertThat(NodeJit.C1.jvmOptions()).containsExactly("-XX:TieredStopAtLevel=1");
    assertThat(NodeJit.TIERED.jvmOptions()).isEmpty();
  }
}
