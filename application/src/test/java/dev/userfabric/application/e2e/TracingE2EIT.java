package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.proto.v1.CreateUserRequest;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One trace from CreateUser through the broker to the driver's store, exported to memory: the
 * call's SERVER span continues the caller's traceparent, the publish is its child, and the
 * driver's CONSUMER span continues the trace from the message's headers.
 */
@MicronautTest
class TracingE2EIT extends MockProviderServers {

  private static final String CALLERS_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("userfabric.test.in-memory-tracing", "true");
    return properties;
  }

  @Test
  public void oneTraceRunsFromTheCallThroughTheQueueToTheStore() throws Exception {
    String token = login("traced-" + UUID.randomUUID(), "traced@example.test");
    Metadata traceparent = new Metadata();
    traceparent.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-" + CALLERS_TRACE + "-00f067aa0ba902b7-01");

    users(token).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(traceparent))
        .createUser(CreateUserRequest.getDefaultInstance());

    eventually(Duration.ofSeconds(20), () -> consumer().isPresent());
    SpanData server = only(SpanKind.SERVER, "userfabric.v1.UserService/CreateUser");
    SpanData producer = only(SpanKind.PRODUCER, null);
    SpanData consumer = consumer().orElseThrow();
    assertEquals(CALLERS_TRACE, server.getTraceId(), "the caller's trace is continued");
    assertEquals("00f067aa0ba902b7", server.getParentSpanId());
    assertEquals(CALLERS_TRACE, producer.getTraceId());
    assertEquals(server.getSpanId(), producer.getParentSpanId(), "the publish is the call's child");
    assertEquals(CALLERS_TRACE, consumer.getTraceId(), "the driver continues the same trace");
    assertEquals(producer.getSpanId(), consumer.getParentSpanId());
    assertEquals(0L, server.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("rpc.grpc.status_code")));

    // The call's own steps are its children: the token check, the user's lookup, userinfo.
    SpanData tokenCheck = only(SpanKind.INTERNAL, "token verify");
    assertEquals(server.getSpanId(), tokenCheck.getParentSpanId());
    assertEquals(false, tokenCheck.getAttributes().get(AttributeKey.booleanKey("userfabric.token.cached")));
    SpanData lookup = only(SpanKind.CLIENT, "HGETALL");
    assertEquals(server.getSpanId(), lookup.getParentSpanId());
    assertEquals("redis", lookup.getAttributes().get(AttributeKey.stringKey("db.system")));
    SpanData userinfo = only(SpanKind.CLIENT, "GET");
    assertEquals(server.getSpanId(), userinfo.getParentSpanId());
    assertEquals(200L, userinfo.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    // And the store's write is the delivery's child.
    eventually(Duration.ofSeconds(20), () -> spans().stream().anyMatch(span -> span.getKind() == SpanKind.CLIENT
        && span.getName().startsWith("EVAL") && span.getParentSpanId().equals(consumer.getSpanId())));
  }

  private static Optional<SpanData> consumer() {
    return spans().stream().filter(span -> span.getKind() == SpanKind.CONSUMER)
        .filter(span -> span.getTraceId().equals(CALLERS_TRACE)).findFirst();
  }

  private static SpanData only(SpanKind kind, String name) {
    List<SpanData> found = spans().stream().filter(span -> span.getKind() == kind)
        .filter(span -> span.getTraceId().equals(CALLERS_TRACE))
        .filter(span -> name == null || span.getName().equals(name)).toList();
    assertTrue(found.size() == 1, kind + " " + name + ": " + found);
    return found.getFirst();
  }

  private static List<SpanData> spans() {
    return InMemoryTracing.SPANS.getFinishedSpanItems();
  }
}
