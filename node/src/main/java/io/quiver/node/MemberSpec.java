package io.quiver.node;

import io.quiver.raft.NodeAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and prints the {@code --initial-cluster} member list: {@code id@host:raftPort:httpPort:flightPort},
 * comma separated. Every node of a new cluster is started with the same list, like etcd's initial cluster.
 */
final class MemberSpec {
  private MemberSpec() {}

  /** Parses a member list; throws {@link IllegalArgumentException} naming the bad entry. */
  static List<NodeAddress> parse(String spec) {
    List<NodeAddress> members = new ArrayList<>();
    for (String entry : spec.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int at = e.indexOf('@');
      String[] hostPorts = at < 0 ? new String[0] : e.substring(at + 1).split(":");
      if (at <= 0 || hostPorts.length != 4) {
        throw new IllegalArgumentException(
            "bad member, want id@host:raftPort:httpPort:flightPort [member=" + e + "]");
      }
      try {
        members.add(new NodeAddress(e.substring(0, at), hostPorts[0], Integer.parseInt(hostPorts[1]),
            Integer.parseInt(hostPorts[2]), Integer.parseInt(hostPorts[3])));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("bad port in member [member=" + e + "]", ex);
      }
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("empty member list");
    }
    return members;
  }

  /** The inverse of {@link #parse(String)}. */
  static String format(List<NodeAddress> members) {
    StringBuilder sb = new StringBuilder();
    for (NodeAddress m : members) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(m.nodeId()).append('@').append(m.host()).append(':').append(m.raftPort()).append(':')
          .append(m.httpPort()).append(':').append(m.flightPort());
    }
    return sb.toString();
  }
}
