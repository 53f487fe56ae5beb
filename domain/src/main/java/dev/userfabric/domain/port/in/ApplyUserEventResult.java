package dev.userfabric.domain.port.in;

/** What applying a user event came to. Either way the event is handled. */
public enum ApplyUserEventResult {
  /** The event was newer than what was stored; the store now holds its state. */
  APPLIED,
  /**
   * Something as new or newer was stored already (a duplicate, a redelivery, or an event that
   * arrived after a later one); nothing changed.
   */
  STALE
}
