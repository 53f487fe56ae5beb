package dev.userfabric.domain.model;

/**
 * Another first login with the same verified email, through another issuer of the link group,
 * is being created right now: this one can join that user once it is stored. Retrying shortly
 * succeeds; answering now would make two users of one person.
 */
public final class LinkPending extends UserFabricFailure {

  public LinkPending(String message) {
    super(message, null);
  }
}
