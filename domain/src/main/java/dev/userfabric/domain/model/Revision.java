package dev.userfabric.domain.model;

import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * Where one event stands among all events of its user; the newest revision is the user's state,
 * whatever order the events arrive in. Ordered by version, then by kind (an erasure beats an
 * update of the same version, an update beats a creation: two replicas that drew one version
 * must not bring an erased user back), then by event id as text, so that every store and every
 * consumer picks the same winner. Equal revisions are the same event delivered twice.
 */
public record Revision(long version, Kind kind, UUID eventId) implements Comparable<Revision> {

  /** In the order that breaks a tie of versions. */
  public enum Kind { CREATED, UPDATED, DELETED }

  private static final Comparator<Revision> ORDER = Comparator.comparingLong(Revision::version)
      .thenComparing(Revision::kind)
      .thenComparing(revision -> revision.eventId().toString());

  public Revision {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(eventId, "eventId must not be null");
  }

  public boolean isNewerThan(Revision other) {
    return compareTo(other) > 0;
  }

  @Override
  public int compareTo(Revision other) {
    return ORDER.compare(this, other);
  }
}
