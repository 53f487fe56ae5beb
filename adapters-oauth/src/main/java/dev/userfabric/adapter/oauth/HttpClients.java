package dev.userfabric.adapter.oauth;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client settings every call to the provider shares. */
final class HttpClients {

  private HttpClients() {}

  static HttpClient create(Duration timeout) {
    return HttpClient.newBuilder()
        .connectTimeout(timeout)
        // A redirect could carry our bearer token somewhere we did not choose.
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
