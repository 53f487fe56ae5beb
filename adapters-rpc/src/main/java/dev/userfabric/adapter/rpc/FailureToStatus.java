package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.UserFabricFailure;
import dev.userfabric.domain.model.UserProfileUnavailable;
import io.grpc.Status;

/**
 * The gRPC status for each domain failure. Descriptions are fixed, client-safe texts: the failure's
 * own message (and its cause) is for our logs only.
 */
final class FailureToStatus {

  private FailureToStatus() {}

  static Status statusOf(UserFabricFailure failure) {
    // Exhaustive over the sealed family: a new failure kind does not compile until mapped here.
    return switch (failure) {
      case InvalidAccessToken f -> Status.UNAUTHENTICATED.withDescription("invalid access token");
      case IdentityProviderUnavailable f ->
          Status.UNAVAILABLE.withDescription("identity provider unavailable; retry later");
      case CacheUnavailable f -> Status.UNAVAILABLE.withDescription("user store unavailable; retry later");
      case EventPublishFailed f -> Status.UNAVAILABLE.withDescription("event broker unavailable; retry later");
      case InvalidUserData f -> Status.INVALID_ARGUMENT.withDescription("invalid user data");
      case UserProfileUnavailable f -> Status.INTERNAL.withDescription("identity provider sent an unusable profile");
    };
  }
}
