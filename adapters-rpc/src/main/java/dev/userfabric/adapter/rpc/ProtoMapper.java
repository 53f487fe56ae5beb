package dev.userfabric.adapter.rpc;

import com.google.protobuf.Timestamp;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.proto.v1.CreateUserResponse;
import java.time.Instant;

/** Domain results into protobuf responses. */
final class ProtoMapper {

  private ProtoMapper() {}

  static CreateUserResponse toResponse(CreateUserResult result) {
    return CreateUserResponse.newBuilder()
        .setUser(toProto(result.user()))
        .setCreated(result.created())
        .setLinked(result.linked())
        .build();
  }

  static dev.userfabric.proto.demeter.ops.v1alpha.CreateUserResponse toDemeterResponse(
      CreateUserResult result) {
    return dev.userfabric.proto.demeter.ops.v1alpha.CreateUserResponse.newBuilder()
        .setId(result.user().id().toString())
        .setEmail(result.user().profile().email().orElse(""))
        .build();
  }

  static dev.userfabric.proto.v1.User toProto(User user) {
    var message = dev.userfabric.proto.v1.User.newBuilder()
        .setId(user.id().toString())
        .setIssuer(user.identity().issuer())
        .setSubject(user.identity().subject())
        .setProfile(toProto(user.profile()))
        .setCreatedAt(timestamp(user.createdAt()))
        .setUpdatedAt(timestamp(user.updatedAt()))
        .setVersion(user.version())
        .addIdentities(toProto(user.identity()));
    user.linkedIdentities().forEach(linked -> message.addIdentities(toProto(linked)));
    return message.build();
  }

  private static dev.userfabric.proto.v1.Identity toProto(dev.userfabric.domain.model.Identity identity) {
    return dev.userfabric.proto.v1.Identity.newBuilder().setIssuer(identity.issuer()).setSubject(identity.subject())
        .build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  static dev.userfabric.proto.v1.UserProfile toProto(UserProfile profile) {
    var message = dev.userfabric.proto.v1.UserProfile.newBuilder()
        .setEmailVerified(profile.emailVerified())
        .setPhoneNumberVerified(profile.phoneNumberVerified());
    profile.email().ifPresent(message::setEmail);
    profile.name().ifPresent(message::setName);
    profile.givenName().ifPresent(message::setGivenName);
    profile.familyName().ifPresent(message::setFamilyName);
    profile.picture().ifPresent(message::setPicture);
    profile.locale().ifPresent(message::setLocale);
    profile.phoneNumber().ifPresent(message::setPhoneNumber);
    return message.build();
  }

  /** A profile a client sent; the domain's limits apply (an oversized claim is bad input). */
  static UserProfile fromProto(dev.userfabric.proto.v1.UserProfile message) {
    try {
      return UserProfile.builder()
          .email(message.hasEmail() ? message.getEmail() : null)
          .emailVerified(message.getEmailVerified())
          .name(message.hasName() ? message.getName() : null)
          .givenName(message.hasGivenName() ? message.getGivenName() : null)
          .familyName(message.hasFamilyName() ? message.getFamilyName() : null)
          .picture(message.hasPicture() ? message.getPicture() : null)
          .locale(message.hasLocale() ? message.getLocale() : null)
          .phoneNumber(message.hasPhoneNumber() ? message.getPhoneNumber() : null)
          .phoneNumberVerified(message.getPhoneNumberVerified())
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("profile: " + e.getMessage());
    }
  }
}
