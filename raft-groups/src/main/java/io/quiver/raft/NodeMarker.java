package io.quiver.raft;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The node's identity file {@code <dataDir>/node.id}: node id, incarnation and cluster identity. The incarnation
 * is a random id created together with the data directory; a node whose directory was wiped comes back with a new
 * incarnation, which the metadata group notices, so the node is treated as a new replica (Raft amnesia protection).
 */
final class NodeMarker {
  static final String FILE = "node.id";

  private final Path file;
  private final String nodeId;
  private final String incarnation;
  private volatile String clusterUuid;

  private NodeMarker(Path file, String nodeId, String incarnation, String clusterUuid) {
    this.file = file;
    this.nodeId = nodeId;
    this.incarnation = incarnation;
    this.clusterUuid = clusterUuid;
  }

  /**
   * Loads the marker, or creates one with a fresh incarnation if the data directory holds no Raft state. Refuses a
   * directory that has Raft state but no marker, or a marker of another node id.
   */
  static NodeMarker loadOrCreate(Path dataDir, String nodeId, Path raftDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      String id = p.getProperty("nodeId", "");
      if (!id.equals(nodeId)) {
        throw new RaftException(ErrorCode.INVALID_REQUEST,
            "data directory belongs to another node [dir=" + dataDir + ", marker=" + id + ", config=" + nodeId + "]");
      }
      return new NodeMarker(file, id, p.getProperty("incarnation"), p.getProperty("clusterUuid", ""));
    }
    if (Files.isDirectory(raftDir)) {
      try (Stream<Path> s = Files.list(raftDir)) {
        if (s.findAny().isPresent()) {
          throw new RaftException(ErrorCode.INVALID_REQUEST,
              "raft state without node marker; refusing to guess the node identity [dir=" + dataDir + "]");
        }
      }
    }
    NodeMarker m = new NodeMarker(file, nodeId, UUID.randomUUID().toString(), "");
    m.save();
    return m;
  }

  String nodeId() {
    return nodeId;
  }

  String incarnation() {
    return incarnation;
  }

  String clusterUuid() {
    return clusterUuid;
  }

  synchronized void setClusterUuid(String uuid) throws IOException {
    if (!uuid.equals(clusterUuid)) {
      clusterUuid = uuid;
      save();
    }
  }

  private void save() throws IOException {
    Properties p = new Properties();
    p.setProperty("nodeId", nodeId);
    p.setProperty("incarnation", incarnation);
    p.setProperty("clusterUuid", clusterUuid);
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "Quiver node identity - do not edit; delete the whole data directory instead");
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
