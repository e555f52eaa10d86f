package io.quiver.placement;

import java.util.ArrayList;
import java.util.List;

/** Test clusters: nodes {@code n0..n(k-1)} in join order, zones assigned round robin. */
final class Clusters {
  private Clusters() {}

  static List<NodeInfo> nodes(int count, int zones) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(node(i, zones));
    }
    return nodes;
  }

  static NodeInfo node(int ordinal, int zones) {
    return new NodeInfo("n" + ordinal, zones > 1 ? "z" + (ordinal % zones) : "", ordinal, NodeState.UP);
  }

  static List<NodeInfo> withState(List<NodeInfo> nodes, String id, NodeState state) {
    List<NodeInfo> out = new ArrayList<>();
    for (NodeInfo n : nodes) {
      out.add(n.id().equals(id) ? n.withState(state) : n);
    }
    return out;
  }

  static List<NodeInfo> plus(List<NodeInfo> nodes, NodeInfo extra) {
    List<NodeInfo> out = new ArrayList<>(nodes);
    out.add(extra);
    return out;
  }
}
