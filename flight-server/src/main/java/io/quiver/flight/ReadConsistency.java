package io.quiver.flight;

import java.util.Locale;

/** How fresh a shard read must be. Wire names are the lower-case strings of the JSON command. */
public enum ReadConsistency {
  /**
   * Linearizable (the default): the read reflects every write acknowledged before it started. Served by any
   * replica once it has applied a read-barrier entry the leader committed after the read began.
   */
  LINEARIZABLE("linearizable", 0),
  /**
   * Follower read with bounded staleness: the replica answers from its local state if it has applied the log up to
   * at most {@code max_staleness_ms} behind the leader; otherwise it refuses ({@code UNAVAILABLE}, try another
   * location).
   */
  FOLLOWER("follower", 1);

  private final String wireName;
  private final int id;

  ReadConsistency(String wireName, int id) {
    this.wireName = wireName;
    this.id = id;
  }

  /** The name used in the JSON command. */
  public String wireName() {
    return wireName;
  }

  /** The stable numeric id used in tickets. */
  public int id() {
    return id;
  }

  /** The consistency named {@code name} (case-insensitive), or {@code null} if unknown. */
  public static ReadConsistency fromWireName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (ReadConsistency c : values()) {
      if (c.wireName.equals(n)) {
        return c;
      }
    }
    return null;
  }

  /** The consistency with ticket id {@code id}, or {@code null} if unknown. */
  public static ReadConsistency fromId(int id) {
    for (ReadConsistency c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    return null;
  }
}
