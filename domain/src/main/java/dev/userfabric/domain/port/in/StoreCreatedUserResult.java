package dev.userfabric.domain.port.in;

/** What storing a created user came to. Either way the event is handled. */
public enum StoreCreatedUserResult {
  /** The user was not stored yet and now is. */
  INSERTED,
  /** The user was stored already (a duplicate or a concurrent first call); nothing changed. */
  ALREADY_STORED
}
