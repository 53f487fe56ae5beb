package dev.userfabric.adapter.event;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.rabbitmq.client.AMQP;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.proto.v1.UserCreated.Builder;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** UserCreated as the protobuf message {@code userfabric.v1.UserCreated} and its AMQP properties. */
final class UserCreatedCodec {

  static final String TYPE = "userfabric.v1.UserCreated";
  static final String CONTENT_TYPE = "application/x-protobuf";

  private UserCreatedCodec() {}

  static AMQP.BasicProperties properties(UserCreated event) {
    return new AMQP.BasicProperties.Builder()
        .type(TYPE)
        .contentType(CONTENT_TYPE)
        .messageId(event.eventId().toString())
        .timestamp(Date.from(event.occurredAt()))
        .deliveryMode(2) // persistent
        .appId("userfabric")
        .headers(Map.of("proto-message", TYPE, "user-id", event.user().id().toString()))
        .build();
  }

  static byte[] encode(UserCreated event) {
    Builder message = dev.userfabric.proto.v1.UserCreated.newBuilder()
        .setEventId(event.eventId().toString())
        .setOccurredAt(timestamp(event.occurredAt()))
        .setUser(user(event.user()));
    return message.build().toByteArray();
  }

  /** @throws IllegalArgumentException when the bytes are not a valid UserCreated */
  static UserCreated decode(byte[] body) {
    dev.userfabric.proto.v1.UserCreated message;
    try {
      message = dev.userfabric.proto.v1.UserCreated.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("body is not a userfabric.v1.UserCreated", e);
    }
    if (!message.hasUser() || !message.hasOccurredAt() || !message.getUser().hasCreatedAt()) {
      throw new IllegalArgumentException("UserCreated lacks user, occurred_at or created_at");
    }
    dev.userfabric.proto.v1.User user = message.getUser();
    return new UserCreated(
        UUID.fromString(message.getEventId()),
        instant(message.getOccurredAt()),
        new User(
            UserId.parse(user.getId()),
            new Identity(user.getIssuer(), user.getSubject()),
            profile(user.getProfile()),
            instant(user.getCreatedAt())));
  }

  private static dev.userfabric.proto.v1.User user(User user) {
    return dev.userfabric.proto.v1.User.newBuilder()
        .setId(user.id().toString())
        .setIssuer(user.identity().issuer())
        .setSubject(user.identity().subject())
        .setProfile(profile(user.profile()))
        .setCreatedAt(timestamp(user.createdAt()))
        .build();
  }

  private static dev.userfabric.proto.v1.UserProfile profile(UserProfile profile) {
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

  private static UserProfile profile(dev.userfabric.proto.v1.UserProfile message) {
    return new UserProfile(
        message.hasEmail() ? Optional.of(message.getEmail()) : Optional.empty(),
        message.getEmailVerified(),
        message.hasName() ? Optional.of(message.getName()) : Optional.empty(),
        message.hasGivenName() ? Optional.of(message.getGivenName()) : Optional.empty(),
        message.hasFamilyName() ? Optional.of(message.getFamilyName()) : Optional.empty(),
        message.hasPicture() ? Optional.of(message.getPicture()) : Optional.empty(),
        message.hasLocale() ? Optional.of(message.getLocale()) : Optional.empty(),
        message.hasPhoneNumber() ? Optional.of(message.getPhoneNumber()) : Optional.empty(),
        message.getPhoneNumberVerified());
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
