package dev.userfabric.application.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a call's time goes, by the service's own timers (its {@code /prometheus}): the mean of
 * each timer over a phase, from the sums and counts read before and after it. Means, not
 * percentiles: the histogram buckets are too coarse for a tail, but a sum and a count are exact.
 */
final class ServiceTimers {

  // name{labels} value: one sample of a Prometheus text exposition
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{([^}]*)})? (\\S+)$");

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI prometheus;

  ServiceTimers(int managementPort) {
    this.prometheus = URI.create("http://127.0.0.1:" + managementPort + "/prometheus");
  }

  /** The timers' sums (seconds) and counts now, by what they time. */
  Snapshot read() throws Exception {
    String text = http.send(HttpRequest.newBuilder(prometheus).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, double[]> timers = new TreeMap<>();
    double allocated = 0;
    for (String line : text.lines().toList()) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      String metric = sample.group(1);
      if (metric.equals("jvm_gc_memory_allocated_bytes_total")) {
        allocated = Double.parseDouble(sample.group(3));
        continue;
      }
      String labels = sample.group(2) == null ? "" : sample.group(2);
      boolean sum = metric.endsWith("_seconds_sum");
      if (!sum && !metric.endsWith("_seconds_count")) {
        continue;
      }
      String timer = timerOf(metric.substring(0, metric.lastIndexOf('_')), labels);
      if (timer != null) {
        timers.computeIfAbsent(timer, key -> new double[2])[sum ? 0 : 1] += Double.parseDouble(sample.group(3));
      }
    }
    return new Snapshot(timers, allocated);
  }

  /** The timers a CreateUser call is made of, named for the report; null for any other. */
  private static String timerOf(String metric, String labels) {
    return switch (metric) {
      case "grpc_server_processing_duration_seconds" -> labels.contains("method=\"CreateUser\"") ? "CreateUser" : null;
      case "userfabric_idp_requests_seconds" -> labels.contains("endpoint=\"userinfo\"") ? "userinfo" : null;
      case "userfabric_events_publish_seconds" -> "publish to confirm";
      case "lettuce_command_completion_seconds" -> "Redis " + label(labels, "command");
      case "jvm_gc_pause_seconds" -> "GC pause (" + label(labels, "action") + ")";
      default -> null;
    };
  }

  private static String label(String labels, String name) {
    Matcher value = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
    return value.find() ? value.group(1) : "?";
  }

  /**
   * Sums and counts of each timer at one moment, and the bytes the service had allocated on its
   * heap (Micrometer's count, which grows at each young collection by what the young generation
   * had filled since the last).
   */
  record Snapshot(Map<String, double[]> timers, double allocatedBytes) {

    /**
     * Each timer's count and mean since {@code before}, one line, for those that ran; then the
     * heap allocated per CreateUser call in between (to within one young generation's fill).
     */
    String since(Snapshot before) {
      List<String> means = new ArrayList<>();
      timers.forEach((timer, now) -> {
        double[] then = before.timers().getOrDefault(timer, new double[2]);
        double count = now[1] - then[1];
        if (count > 0) {
          means.add(String.format("%s %.2f ms (%,.0f)", timer, 1000 * (now[0] - then[0]) / count, count));
        }
      });
      double calls = timers.getOrDefault("CreateUser", new double[2])[1]
          - before.timers().getOrDefault("CreateUser", new double[2])[1];
      if (calls > 0) {
        means.add(String.format("heap allocated %.1f KB a call", (allocatedBytes - before.allocatedBytes()) / calls / 1024));
      }
      return String.join(", ", means);
    }
  }
}
