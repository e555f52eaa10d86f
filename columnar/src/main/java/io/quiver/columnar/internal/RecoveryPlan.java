package io.quiver.columnar.internal;

import io.quiver.columnar.ErrorCode;
import io.quiver.columnar.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a store directory holds on open. The state with the highest durable index wins: the live {@code MANIFEST},
 * or, when it is missing or older (a directory Raft just filled from a snapshot), the newest checkpoint manifest,
 * in which case the index must be restored from the checkpoint's index snapshot.
 *
 * @param manifest the state to open
 * @param restoreIndexFrom index snapshot to restore before opening the index, or null to open the live index
 * @param checkpoint the newest checkpoint manifest and its name, or null
 * @param checkpointName file name of {@code checkpoint}
 */
public record RecoveryPlan(Manifest manifest, Path restoreIndexFrom, Manifest checkpoint, String checkpointName) {
  static final String CHECKPOINT_PREFIX = "checkpoint-";
  static final String CHECKPOINT_SUFFIX = ".qck";

  /** Inspects {@code dir} (created if absent). */
  public static RecoveryPlan of(Path dir) {
    try {
      Files.createDirectories(dir);
      Path live = dir.resolve(Manifest.LIVE);
      Manifest liveManifest = Files.exists(live) ? Manifest.read(live) : null;
      List<String> cps = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith(CHECKPOINT_PREFIX) && n.endsWith(CHECKPOINT_SUFFIX))
            .forEach(cps::add);
      }
      cps.sort(null);
      Manifest cp = null;
      String cpName = null;
      if (!cps.isEmpty()) {
        cpName = cps.get(cps.size() - 1);
        cp = Manifest.read(dir.resolve(cpName));
      }
      if (liveManifest != null && (cp == null || liveManifest.durableIndex() >= cp.durableIndex())) {
        return new RecoveryPlan(liveManifest, null, cp, cpName);
      }
      if (cp != null) {
        if (cp.indexSnapshot() == null) {
          throw new StoreException(ErrorCode.CORRUPT_MANIFEST, "checkpoint without index snapshot [file="
              + dir.resolve(cpName) + "]");
        }
        return new RecoveryPlan(cp, dir.resolve(cp.indexSnapshot()), cp, cpName);
      }
      return new RecoveryPlan(new Manifest(0, 1, null, List.of()), null, null, null);
    } catch (IOException e) {
      throw new StoreException(ErrorCode.IO, "cannot inspect store directory [dir=" + dir + "]", e);
    }
  }
}
