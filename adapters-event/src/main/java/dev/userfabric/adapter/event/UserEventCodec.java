package dev.userfabric.adapter.event;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.rabbitmq.client.AMQP;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityLinked;
import dev.userfabric.domain.model.IdentityUnlinked;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserUpdated;
import dev.userfabric.domain.model.UserVersion;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * User events as the protobuf messages of {@code userfabric/v1/events.proto}, their routing keys
 * and their AMQP properties, CloudEvents attributes included (the AMQP binding's
 * {@code cloudEvents:} headers), so a consumer needs nothing of ours to route or de-duplicate.
 */
final class UserEventCodec {

  static final String CREATED = "userfabric.v1.UserCreated";
  static final String UPDATED = "userfabric.v1.UserUpdated";
  static final String DELETED = "userfabric.v1.UserDeleted";
  static final String LINKED = "userfabric.v1.IdentityLinked";
  static final String UNLINKED = "userfabric.v1.IdentityUnlinked";
  static final String CONTENT_TYPE = "application/x-protobuf";
  static final String CLOUD_EVENTS_SOURCE = "urn:userfabric";

  private UserEventCodec() {}

  static String routingKey(UserEvent event) {
    return switch (event) {
      case UserCreated created -> EventTopology.CREATED_KEY;
      case UserUpdated updated -> EventTopology.UPDATED_KEY;
      case UserDeleted deleted -> EventTopology.DELETED_KEY;
      case IdentityLinked linked -> EventTopology.LINKED_KEY;
      case IdentityUnlinked unlinked -> EventTopology.UNLINKED_KEY;
    };
  }

  static String type(UserEvent event) {
    return switch (event) {
      case UserCreated created -> CREATED;
      case UserUpdated updated -> UPDATED;
      case UserDeleted deleted -> DELETED;
      case IdentityLinked linked -> LINKED;
      case IdentityUnlinked unlinked -> UNLINKED;
    };
  }

  static AMQP.BasicProperties properties(UserEvent event) {
    String type = type(event);
    Map<String, Object> headers = new HashMap<>();
    headers.put("proto-message", type);
    headers.put("user-id", event.userId().toString());
    headers.put("user-version", event.version());
    headers.put("cloudEvents:specversion", "1.0");
    headers.put("cloudEvents:id", event.eventId().toString());
    headers.put("cloudEvents:source", CLOUD_EVENTS_SOURCE);
    headers.put("cloudEvents:type", type);
    headers.put("cloudEvents:time", event.occurredAt().toString());
    headers.put("cloudEvents:subject", event.userId().toString());
    return new AMQP.BasicProperties.Builder()
        .type(type)
        .contentType(CONTENT_TYPE)
        .messageId(event.eventId().toString())
        .timestamp(Date.from(event.occurredAt()))
        .deliveryMode(2) // persistent
        .appId("userfabric")
        .headers(headers)
        .build();
  }

  static byte[] encode(UserEvent event) {
    return switch (event) {
      case UserCreated created -> dev.userfabric.proto.v1.UserCreated.newBuilder()
          .setEventId(created.eventId().toString())
          .setOccurredAt(timestamp(created.occurredAt()))
          .setUser(user(created.user()))
          .setVersion(created.version())
          .build().toByteArray();
      case UserUpdated updated -> dev.userfabric.proto.v1.UserUpdated.newBuilder()
          .setEventId(updated.eventId().toString())
          .setOccurredAt(timestamp(updated.occurredAt()))
          .setUser(user(updated.user()))
          .setVersion(updated.version())
          .addAllChangedFields(updated.changedFields().stream().sorted().toList())
          .build().toByteArray();
      case UserDeleted deleted -> dev.userfabric.proto.v1.UserDeleted.newBuilder()
          .setEventId(deleted.eventId().toString())
          .setOccurredAt(timestamp(deleted.occurredAt()))
          .setUserId(deleted.userId().toString())
          .setIssuer(deleted.identity().issuer())
          .setSubject(deleted.identity().subject())
          .setVersion(deleted.version())
          .build().toByteArray();
      case IdentityLinked linked -> dev.userfabric.proto.v1.IdentityLinked.newBuilder()
          .setEventId(linked.eventId().toString())
          .setOccurredAt(timestamp(linked.occurredAt()))
          .setUser(user(linked.user()))
          .setVersion(linked.version())
          .setIdentity(identity(linked.identity()))
          .build().toByteArray();
      case IdentityUnlinked unlinked -> dev.userfabric.proto.v1.IdentityUnlinked.newBuilder()
          .setEventId(unlinked.eventId().toString())
          .setOccurredAt(timestamp(unlinked.occurredAt()))
          .setUser(user(unlinked.user()))
          .setVersion(unlinked.version())
          .setIdentity(identity(unlinked.identity()))
          .build().toByteArray();
    };
  }

  /**
   * Reads the body as the message its AMQP type names; a message without a type (published by
   * an older release) is a UserCreated.
   *
   * @throws IllegalArgumentException when the bytes are not a valid event of that type
   */
  static UserEvent decode(String type, byte[] body) {
    try {
      if (type == null || CREATED.equals(type)) {
        return created(dev.userfabric.proto.v1.UserCreated.parseFrom(body));
      }
      if (UPDATED.equals(type)) {
        return updated(dev.userfabric.proto.v1.UserUpdated.parseFrom(body));
      }
      if (DELETED.equals(type)) {
        return deleted(dev.userfabric.proto.v1.UserDeleted.parseFrom(body));
      }
      if (LINKED.equals(type)) {
        var message = dev.userfabric.proto.v1.IdentityLinked.parseFrom(body);
        requireIdentityEvent(type, message.hasUser(), message.hasOccurredAt(), message.getVersion(), message.hasIdentity());
        return new IdentityLinked(eventId(message.getEventId()), instant(message.getOccurredAt()),
            user(message.getUser(), message.getVersion()), identity(message.getIdentity()));
      }
      if (UNLINKED.equals(type)) {
        var message = dev.userfabric.proto.v1.IdentityUnlinked.parseFrom(body);
        requireIdentityEvent(type, message.hasUser(), message.hasOccurredAt(), message.getVersion(), message.hasIdentity());
        return new IdentityUnlinked(eventId(message.getEventId()), instant(message.getOccurredAt()),
            user(message.getUser(), message.getVersion()), identity(message.getIdentity()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("body is not a " + (type == null ? CREATED : type), e);
    }
    throw new IllegalArgumentException("unknown event type " + type);
  }

  private static UserCreated created(dev.userfabric.proto.v1.UserCreated message) {
    if (!message.hasUser() || !message.hasOccurredAt()) {
      throw new IllegalArgumentException("UserCreated lacks user or occurred_at");
    }
    return new UserCreated(eventId(message.getEventId()), instant(message.getOccurredAt()),
        user(message.getUser(), message.getVersion()));
  }

  private static UserUpdated updated(dev.userfabric.proto.v1.UserUpdated message) {
    if (!message.hasUser() || !message.hasOccurredAt() || message.getVersion() == 0) {
      throw new IllegalArgumentException("UserUpdated lacks user, occurred_at or version");
    }
    return new UserUpdated(eventId(message.getEventId()), instant(message.getOccurredAt()),
        user(message.getUser(), message.getVersion()), java.util.Set.copyOf(message.getChangedFieldsList()));
  }

  private static UserDeleted deleted(dev.userfabric.proto.v1.UserDeleted message) {
    if (!message.hasOccurredAt() || message.getVersion() == 0) {
      throw new IllegalArgumentException("UserDeleted lacks occurred_at or version");
    }
    UserDeleted event = new UserDeleted(eventId(message.getEventId()), instant(message.getOccurredAt()),
        new Identity(message.getIssuer(), message.getSubject()), message.getVersion());
    if (!event.userId().equals(UserId.parse(message.getUserId()))) {
      throw new IllegalArgumentException("UserDeleted user_id is not that of its issuer and subject");
    }
    return event;
  }

  private static void requireIdentityEvent(String type, boolean user, boolean occurredAt, long version,
      boolean identity) {
    if (!user || !occurredAt || version == 0 || !identity) {
      throw new IllegalArgumentException(type + " lacks user, occurred_at, version or identity");
    }
  }

  private static dev.userfabric.proto.v1.Identity identity(Identity identity) {
    return dev.userfabric.proto.v1.Identity.newBuilder()
        .setIssuer(identity.issuer()).setSubject(identity.subject()).build();
  }

  private static Identity identity(dev.userfabric.proto.v1.Identity message) {
    return new Identity(message.getIssuer(), message.getSubject());
  }

  private static UUID eventId(String text) {
    return UUID.fromString(text);
  }

  private static dev.userfabric.proto.v1.User user(User user) {
    return dev.userfabric.proto.v1.User.newBuilder()
        .setId(user.id().toString())
        .setIssuer(user.identity().issuer())
        .setSubject(user.identity().subject())
        .setProfile(profile(user.profile()))
        .setCreatedAt(timestamp(user.createdAt()))
        .setUpdatedAt(timestamp(user.updatedAt()))
        .setVersion(user.version())
        .addAllIdentities(user.identities().stream().map(UserEventCodec::identity).toList())
        .build();
  }

  /** An event from before versions existed has none: its version is its creation time. */
  private static User user(dev.userfabric.proto.v1.User user, long eventVersion) {
    if (!user.hasCreatedAt()) {
      throw new IllegalArgumentException("user lacks created_at");
    }
    Instant createdAt = instant(user.getCreatedAt());
    long version = eventVersion != 0 ? eventVersion : UserVersion.of(createdAt);
    if (user.getVersion() != 0 && user.getVersion() != version) {
      throw new IllegalArgumentException("the event's version is not its user's");
    }
    Instant updatedAt = user.hasUpdatedAt() ? instant(user.getUpdatedAt()) : createdAt;
    Identity own = new Identity(user.getIssuer(), user.getSubject());
    // identities repeats the user's own first; an event from before linking existed has none.
    List<Identity> linked = user.getIdentitiesList().stream().map(UserEventCodec::identity)
        .filter(identity -> !identity.equals(own)).toList();
    return new User(UserId.parse(user.getId()), own, profile(user.getProfile()), createdAt, updatedAt, version, linked);
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
