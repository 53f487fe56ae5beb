package dev.userfabric.domain.model;

/**
 * A stored user cannot be read back. Retrying will not help until someone repairs the record,
 * so the event driver parks such events instead of retrying them forever.
 */
public final class CorruptUserRecord extends UserFabricFailure {

  public CorruptUserRecord(String message, Throwable cause) {
    super(message, cause);
  }
}
