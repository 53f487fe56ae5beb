package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.GetUserRequest;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The management port of the running service, as Prometheus and Kubernetes see it: the counters
 * move as calls are made, the clients' own metrics and the queue gauges are there, and the
 * probes answer.
 */
@MicronautTest
class OperationsE2EIT extends MockProviderServers {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final String CREATE = "userfabric.v1.UserService/CreateUser";

  @Inject
  ApplicationContext context;

  private final HttpClient http = HttpClient.newHttpClient();

  private static final String CREATE_USER_ANSWERED = "grpc_server_processing_duration_seconds_count"
      + "\\{method=\"CreateUser\",methodType=\"UNARY\",service=\"userfabric.v1.UserService\",statusCode=\"OK\"\\}";

  @Test
  public void theCountersMoveAsUsersAreCreatedKnownRefusedAndStored() throws Exception {
    String subject = "ops-" + UUID.randomUUID();
    String token = login(subject, "ops@example.test");
    double created = value("userfabric_users_total\\{outcome=\"created\"\\}");
    double known = value("userfabric_users_total\\{outcome=\"known\"\\}");
    double refused = value(failed("UNAUTHENTICATED", "ACCESS_TOKEN_INVALID"));
    double stored = value("userfabric_events_handled_total\\{outcome=\"applied\",type=\"UserCreated\"\\}");
    double confirmed = value("userfabric_events_published_total\\{outcome=\"confirmed\",type=\"UserCreated\"\\}");
    double answered = value(CREATE_USER_ANSWERED);
    double timedPublishes = value("userfabric_events_publish_seconds_count\\{outcome=\"confirmed\",type=\"UserCreated\"\\}");

    String id = users(token).createUser(CreateUserRequest.getDefaultInstance()).getUser().getId();
    eventually(WITHIN, () -> {
      try {
        users(token).getUser(GetUserRequest.newBuilder().setUserId(id).build());
        return true;
      } catch (StatusRuntimeException e) {
        return false;
      }
    });
    users(token).createUser(CreateUserRequest.getDefaultInstance());
    assertThrows(StatusRuntimeException.class, () -> users("not-a-token").createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(created + 1, value("userfabric_users_total\\{outcome=\"created\"\\}"));
    assertEquals(known + 1, value("userfabric_users_total\\{outcome=\"known\"\\}"));
    assertEquals(refused + 1, value(failed("UNAUTHENTICATED", "ACCESS_TOKEN_INVALID")));
    assertEquals(confirmed + 1, value("userfabric_events_published_total\\{outcome=\"confirmed\",type=\"UserCreated\"\\}"));
    assertEquals(answered + 2, value(CREATE_USER_ANSWERED), "each call counted once");
    assertEquals(timedPublishes + 1, value("userfabric_events_publish_seconds_count\\{outcome=\"confirmed\",type=\"UserCreated\"\\}"));
    assertEquals(stored + 1, value("userfabric_events_handled_total\\{outcome=\"applied\",type=\"UserCreated\"\\}"));
  }

  @Test
  public void exportsTheServersTheClientsAndTheJvmsOwnMetrics() throws Exception {
    users(login("ops-" + UUID.randomUUID(), "x@example.test")).createUser(CreateUserRequest.getDefaultInstance());

    String scrape = get("/prometheus").body();

    for (String metric : new String[] {
        "grpc_server_processing_duration_seconds_bucket\\{[^}]*method=\"CreateUser\"[^}]*statusCode=\"OK\"",
        "grpc_server_requests_received_messages_total",
        "lettuce_command_completion_seconds_bucket",
        "rabbitmq_published_total",
        "rabbitmq_connections",
        "userfabric_events_awaiting_confirm",
        "userfabric_calls_in_progress",
        "userfabric_idp_requests_seconds_bucket\\{endpoint=\"userinfo\",[^}]*outcome=\"ok\"",
        "userfabric_idp_requests_seconds_count\\{endpoint=\"discovery\"",
        "userfabric_idp_requests_seconds_count\\{endpoint=\"jwks\"",
        "userfabric_idp_keys_total\\{event=\"refresh_completed\"",
        "userfabric_queue_messages\\{queue=\"driver\"\\}",
        "userfabric_queue_consumers\\{queue=\"dead-letter\"\\}",
        "jvm_memory_used_bytes",
        "process_cpu_usage"}) {
      assertTrue(Pattern.compile("(?m)^" + metric).matcher(scrape).find(), metric + " in\n" + scrape);
    }
  }

  @Test
  public void everyMetricTheDashboardQueriesIsOneTheServiceExports() throws Exception {
    users(login("ops-" + UUID.randomUUID(), "x@example.test")).createUser(CreateUserRequest.getDefaultInstance());
    assertThrows(StatusRuntimeException.class, () -> users("not-a-token").createUser(CreateUserRequest.getDefaultInstance()));
    String dashboard = java.nio.file.Files.readString(
        java.nio.file.Path.of("../deploy/grafana/userfabric-dashboard.json"));
    eventually(WITHIN, () -> get("/prometheus").body().contains("userfabric_events_handled_total")); // stored
    String scrape = get("/prometheus").body();

    Matcher expr = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
    int metrics = 0;
    while (expr.find()) {
      Matcher metric = Pattern.compile("\\b((?:grpc|userfabric|lettuce|rabbitmq|jvm|process)_[a-z0-9_]+)").matcher(expr.group(1));
      while (metric.find()) {
        assertTrue(Pattern.compile("(?m)^" + metric.group(1) + "[{ ]").matcher(scrape).find(),
            metric.group(1) + " (queried by the dashboard) is not exported");
        metrics++;
      }
    }
    assertTrue(metrics >= 12, "the dashboard's queries were read: " + metrics);
  }

  @Test
  public void answersTheProbesAsTheGrpcHealthServiceDoes() throws Exception {
    HttpResponse<String> ready = get("/health/readiness");
    HttpResponse<String> live = get("/health/liveness");

    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("\"serving\""), ready.body());
    assertEquals(200, live.statusCode(), live.body());
  }

  private static String failed(String status, String reason) {
    return "userfabric_calls_failed_total\\{method=\"" + Pattern.quote(CREATE) + "\",reason=\"" + reason
        + "\",status=\"" + status + "\"\\}";
  }

  /** The sample's value in a fresh scrape; 0 when the series does not exist yet. */
  private double value(String series) throws Exception {
    Matcher sample = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(get("/prometheus").body());
    return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
  }

  private HttpResponse<String> get(String path) throws Exception {
    int port = context.getBeansOfType(EmbeddedServer.class).stream()
        .filter(server -> !(server instanceof GrpcEmbeddedServer)).findFirst().orElseThrow().getPort();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
