package dev.userfabric.adapter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Timestamp;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserUpdated;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.testing.Users;
import org.junit.jupiter.api.Test;

class UserEventCodecTest {

  private final User ada = Users.user(Users.ISSUER, "ada", "ada@example.test", 1_000);

  @Test
  public void readsBackEveryKindOfEvent() {
    UserEvent[] events = {Users.created(ada), Users.updated(ada, "new@example.test", 1_001), Users.deleted(ada, 1_002)};

    for (UserEvent event : events) {
      assertEquals(event, UserEventCodec.decode(UserEventCodec.type(event), UserEventCodec.encode(event)));
    }
  }

  @Test
  public void routesEachKindUnderItsOwnKey() {
    assertEquals("user.created", UserEventCodec.routingKey(Users.created(ada)));
    assertEquals("user.updated", UserEventCodec.routingKey(Users.updated(ada, "x@example.test", 1_001)));
    assertEquals("user.deleted", UserEventCodec.routingKey(Users.deleted(ada, 1_002)));
    assertEquals("user.identity-linked", UserEventCodec.routingKey(linked()));
    assertEquals("user.identity-unlinked", UserEventCodec.routingKey(unlinked()));
  }

  private static final dev.userfabric.domain.model.Identity AT_B =
      new dev.userfabric.domain.model.Identity("https://b.example.test", "ada-b");

  private dev.userfabric.domain.model.IdentityLinked linked() {
    return new dev.userfabric.domain.model.IdentityLinked(java.util.UUID.randomUUID(),
        java.time.Instant.parse("2026-12-01T12:00:00Z"), ada.withLinked(AT_B, 1_003), AT_B);
  }

  private dev.userfabric.domain.model.IdentityUnlinked unlinked() {
    return new dev.userfabric.domain.model.IdentityUnlinked(java.util.UUID.randomUUID(),
        java.time.Instant.parse("2026-12-01T12:00:01Z"), ada.withLinked(AT_B, 1_003).withoutLinked(AT_B, 1_004), AT_B);
  }

  @Test
  public void readsBackTheIdentityEventsWithEveryIdentityOfTheUser() throws Exception {
    for (UserEvent event : new UserEvent[] {linked(), unlinked()}) {
      assertEquals(event, UserEventCodec.decode(UserEventCodec.type(event), UserEventCodec.encode(event)));
    }
    var message = dev.userfabric.proto.v1.IdentityLinked.parseFrom(UserEventCodec.encode(linked()));
    assertEquals(java.util.List.of(ada.identity().subject(), "ada-b"),
        message.getUser().getIdentitiesList().stream().map(identity -> identity.getSubject()).toList());
    assertEquals("userfabric.v1.IdentityLinked", UserEventCodec.properties(linked()).getType());
  }

  @Test
  public void readsAUserCreatedFromBeforeVersionsAsVersionedByItsCreationTime() {
    User legacy = Users.fullUser("ada");
    Timestamp createdAt = Timestamp.newBuilder().setSeconds(legacy.createdAt().getEpochSecond())
        .setNanos(legacy.createdAt().getNano()).build();
    byte[] old = dev.userfabric.proto.v1.UserCreated.newBuilder()
        .setEventId("0b6f1e9c-2f43-4a4e-9d0e-4a1c3b2d1e0f")
        .setOccurredAt(createdAt)
        .setUser(dev.userfabric.proto.v1.User.newBuilder()
            .setId(legacy.id().toString()).setIssuer(Users.ISSUER).setSubject("ada").setCreatedAt(createdAt))
        .build().toByteArray();

    UserCreated decoded = (UserCreated) UserEventCodec.decode(null, old);

    assertEquals(UserVersion.of(legacy.createdAt()), decoded.version());
    assertEquals(legacy.createdAt(), decoded.user().updatedAt());
  }

  @Test
  public void refusesAnErasureWhoseIdIsNotItsIdentitys() {
    UserDeleted erasure = Users.deleted(ada, 1_002);
    byte[] forged = dev.userfabric.proto.v1.UserDeleted.newBuilder()
        .mergeFrom(parse(UserEventCodec.encode(erasure)))
        .setUserId(Users.fullUser("bob").id().toString())
        .build().toByteArray();

    assertThrows(IllegalArgumentException.class, () -> UserEventCodec.decode(UserEventCodec.DELETED, forged));
  }

  @Test
  public void refusesAnUnknownTypeAndAnUpdateWithoutVersion() {
    assertThrows(IllegalArgumentException.class, () -> UserEventCodec.decode("userfabric.v1.Nope", new byte[0]));
    UserUpdated update = Users.updated(ada, "new@example.test", 1_001);
    byte[] unversioned = dev.userfabric.proto.v1.UserUpdated.newBuilder()
        .setEventId(update.eventId().toString()).setUser(dev.userfabric.proto.v1.User.newBuilder().build())
        .build().toByteArray();
    assertThrows(IllegalArgumentException.class, () -> UserEventCodec.decode(UserEventCodec.UPDATED, unversioned));
  }

  private static dev.userfabric.proto.v1.UserDeleted parse(byte[] body) {
    try {
      return dev.userfabric.proto.v1.UserDeleted.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
