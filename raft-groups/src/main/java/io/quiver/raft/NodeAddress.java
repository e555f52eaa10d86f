package io.quiver.raft;

import java.util.Objects;

/**
 * Where a node can be reached. Advertised addresses, not bind addresses.
 *
 * @param nodeId stable node identity (also its Raft peer id)
 * @param host advertised host name or IP
 * @param raftPort port of the node's single RaftServer (all groups)
 * @param httpPort port of the HTTP API (ingestion, admin, UI)
 * @param flightPort port of the Arrow Flight server
 */
public record NodeAddress(String nodeId, String host, int raftPort, int httpPort, int flightPort) {
  /** Validates the id and the ports. */
  public NodeAddress {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(host, "host");
    if (nodeId.isEmpty() || !nodeId.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("invalid node id [nodeId=" + nodeId + "]");
    }
    checkPort("raftPort", raftPort);
    checkPort("httpPort", httpPort);
    checkPort("flightPort", flightPort);
  }

  /** {@code host:raftPort}, the Ratis peer address. */
  public String raftAddress() {
    return host + ":" + raftPort;
  }

  /** {@code http://host:httpPort}. */
  public String httpUrl() {
    return "http://" + host + ":" + httpPort;
  }

  /** {@code grpc://host:flightPort} (Arrow Flight, plaintext). */
  public String flightUri() {
    return "grpc://" + host + ":" + flightPort;
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port [" + name + "=" + port + "]");
    }
  }
}
