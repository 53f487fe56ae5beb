package dev.userfabric.adapter.rpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CallAbandoned;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.LinkPending;
import dev.userfabric.domain.model.Overloaded;
import dev.userfabric.domain.model.ProvisioningRefused;
import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.domain.model.UserFabricFailure;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.UserProfileUnavailable;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;

/**
 * The gRPC status for each domain failure: a code, a fixed client-safe message, and a
 * {@code google.rpc.ErrorInfo} whose reason a program can act on (AIP-193). The failure's own
 * message is for our logs only.
 */
final class FailureToStatus {

  static final String ERROR_DOMAIN = "userfabric.dev";

  private FailureToStatus() {}

  /** A refusal or failure as the client will see it. */
  record Refusal(Code code, String reason, String message, Duration retryAfter, Map<String, String> metadata) {

    Refusal(Code code, String reason, String message) {
      this(code, reason, message, null, Map.of());
    }

    StatusRuntimeException toException() {
      ErrorInfo info = ErrorInfo.newBuilder().setReason(reason).setDomain(ERROR_DOMAIN).putAllMetadata(metadata).build();
      com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
          .setCode(code.getNumber()).setMessage(message).addDetails(Any.pack(info));
      if (retryAfter != null) {
        status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
            com.google.protobuf.Duration.newBuilder().setSeconds(Math.max(1, retryAfter.toSeconds()))).build()));
      }
      return StatusProto.toStatusRuntimeException(status.build());
    }

    /** Whether this is the caller's credentials being refused (a security event). */
    boolean isRefusal() {
      return code == Code.UNAUTHENTICATED || code == Code.PERMISSION_DENIED;
    }
  }

  static final Refusal MISSING_TOKEN = new Refusal(Code.UNAUTHENTICATED, "ACCESS_TOKEN_MISSING",
      "exactly one bearer token is needed (authorization: Bearer <token>)");

  static final Refusal OVERLOADED = new Refusal(Code.RESOURCE_EXHAUSTED, "OVERLOADED",
      "service overloaded; retry later", Duration.ofSeconds(1), Map.of());

  static final Refusal TOO_MANY_CALLS = new Refusal(Code.RESOURCE_EXHAUSTED, "TOO_MANY_CONCURRENT_CALLS",
      "too many calls in progress; retry later", Duration.ofSeconds(1), Map.of());

  static Refusal refusalOf(UserFabricFailure failure) {
    // Exhaustive over the sealed family: a new failure kind does not compile until mapped here.
    return switch (failure) {
      case InvalidAccessToken f -> switch (f.reason()) {
        case INVALID -> new Refusal(Code.UNAUTHENTICATED, "ACCESS_TOKEN_INVALID", "invalid access token");
        case EXPIRED -> new Refusal(Code.UNAUTHENTICATED, "ACCESS_TOKEN_EXPIRED", "access token expired");
        case REVOKED -> new Refusal(Code.UNAUTHENTICATED, "ACCESS_TOKEN_REVOKED", "access token revoked");
      };
      case AccessDenied f -> switch (f.reason()) {
        case INSUFFICIENT_SCOPE -> new Refusal(Code.PERMISSION_DENIED, "INSUFFICIENT_SCOPE",
            "access token lacks a required scope");
        case NOT_A_USER_TOKEN -> new Refusal(Code.PERMISSION_DENIED, "NOT_A_USER_TOKEN",
            "a user's access token is required, not a client's");
        case REFUSED_BY_IDENTITY_PROVIDER -> new Refusal(Code.PERMISSION_DENIED, "IDENTITY_PROVIDER_REFUSED",
            "identity provider refused access to the user's profile");
      };
      case IdentityProviderUnavailable f -> new Refusal(Code.UNAVAILABLE, "IDENTITY_PROVIDER_UNAVAILABLE",
          "identity provider unavailable; retry later", f.retryAfter().orElse(null), Map.of());
      case CacheUnavailable f -> new Refusal(Code.UNAVAILABLE, "USER_STORE_UNAVAILABLE",
          "user store unavailable; retry later");
      case RevocationListUnavailable f -> new Refusal(Code.UNAVAILABLE, "REVOCATION_LIST_UNAVAILABLE",
          "token revocation list unavailable; retry later");
      case EventPublishFailed f -> new Refusal(Code.UNAVAILABLE, "EVENT_BROKER_UNAVAILABLE",
          "event broker unavailable; retry later");
      // The dry-run's token, refused as CreateUser would refuse it: the evaluated token's fault, not the caller's.
      case InvalidUserData f when f.getCause() instanceof UserFabricFailure refused -> new Refusal(
          Code.INVALID_ARGUMENT, "EVALUATED_TOKEN_REFUSED", "CreateUser would refuse the token to evaluate",
          null, Map.of("refusal", refusalOf(refused).reason()));
      case InvalidUserData f -> new Refusal(Code.INVALID_ARGUMENT, "INVALID_USER_DATA", "invalid user data");
      // The provider's fault, not ours: retryable, like any upstream failure.
      case UserProfileUnavailable f -> new Refusal(Code.UNAVAILABLE, "IDENTITY_PROVIDER_BAD_RESPONSE",
          "identity provider sent an unusable answer; retry later");
      case CorruptUserRecord f -> new Refusal(Code.DATA_LOSS, "USER_RECORD_CORRUPT",
          "the stored user record cannot be read");
      case UserNotFound f -> new Refusal(Code.NOT_FOUND, "USER_NOT_FOUND", "no user is stored under that id");
      case Overloaded f -> OVERLOADED;
      case LinkPending f -> new Refusal(Code.UNAVAILABLE, "IDENTITY_LINK_PENDING",
          "a first login of the same person through another provider is being created; retry shortly",
          Duration.ofSeconds(1), Map.of());
      case ProvisioningRefused f -> new Refusal(Code.PERMISSION_DENIED, "PROVISIONING_POLICY",
          "the provisioning policy does not admit this user", null, Map.of("rule", f.rule()));
      case CallAbandoned f -> switch (f.reason()) {
        case DEADLINE_EXCEEDED -> new Refusal(Code.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
            "the call's deadline passed before it could finish");
        case CANCELLED -> new Refusal(Code.CANCELLED, "CANCELLED", "the call was cancelled");
      };
    };
  }

  static Refusal internal(String correlationId) {
    return new Refusal(Code.INTERNAL, "INTERNAL_ERROR", "internal error; correlation id " + correlationId,
        null, Map.of("correlation_id", correlationId));
  }
}
