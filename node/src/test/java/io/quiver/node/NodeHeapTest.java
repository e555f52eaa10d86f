package io.quiver.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeHeapTest {
  static final long GIB = 1L << 30;

  @Test
  void shouldShareAQuarterOfTheMachineBetweenTheNodesWithinBounds() {
    assertThat(NodeHeap.resolve("auto", 3, 24 * GIB)).isEqualTo("2048m");
    assertThat(NodeHeap.resolve("auto", 3, 12 * GIB)).isEqualTo("1024m");
    assertThat(NodeHeap.resolve("auto", 3, 4 * GIB)).isEqualTo("512m");
    assertThat(NodeHeap.resolve("auto", 1, 64 * GIB)).isEqualTo("2048m");
    assertThat(NodeHeap.resolve("auto", 3, 0)).isEqualTo("1024m");
  }

  @Test
  void shouldKeepAnExplicitHeap() {
    assertThat(NodeHeap.resolve("1g", 3, 24 * GIB)).isEqualTo("1g");
    assertThat(NodeHeap.resolve("4096m", 1, 4 * GIB)).isEqualTo("4096m");
  }
}
