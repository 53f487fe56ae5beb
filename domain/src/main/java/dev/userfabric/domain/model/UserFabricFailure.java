package dev.userfabric.domain.model;

/**
 * Everything a use case can fail with. Sealed, so the driving adapters map each kind exhaustively
 * and the compiler points at them when a kind is added. Messages are safe to log; they never carry
 * tokens or the text of a library's exception.
 */
public abstract sealed class UserFabricFailure extends RuntimeException
    permits InvalidAccessToken,
        AccessDenied,
        RevocationListUnavailable,
        IdentityProviderUnavailable,
        UserProfileUnavailable,
        CacheUnavailable,
        EventPublishFailed,
        InvalidUserData,
        CorruptUserRecord,
        CallAbandoned,
        Overloaded,
        UserNotFound,
        ProvisioningRefused,
        LinkPending {

  protected UserFabricFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
