package dev.userfabric.adapter.rpc.cli;

import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command-line client for the running service: gets a token for a user from the development
 * identity provider (or takes one given) and calls {@code userfabric.v1.UserService/CreateUser}.
 *
 * <pre>userfabric-client [--target HOST:PORT] [--issuer URL] (USER | --token TOKEN)</pre>
 */
public final class UserFabricClient {

  private static final String USAGE = """
      usage: userfabric-client [--target HOST:PORT] [--issuer URL] (USER | --token TOKEN)
        USER            asks the development identity provider (--issuer, default http://127.0.0.1:8480)
                        for USER's token, then calls CreateUser with it
        --token TOKEN   calls CreateUser with this access token instead
        --target        the service (default 127.0.0.1:50051)""";
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  private UserFabricClient() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    String target = "127.0.0.1:50051";
    String issuer = "http://127.0.0.1:8480";
    String token = null;
    String user = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          out.println(USAGE);
          return;
        }
        case "--target" -> target = args[++i];
        case "--issuer" -> issuer = args[++i];
        case "--token" -> token = args[++i];
        default -> {
          if (args[i].startsWith("-")) {
            System.err.println("unknown option " + args[i] + "\n" + USAGE);
            System.exit(2);
          }
          user = args[i];
        }
      }
    }
    if (token == null && user == null) {
      System.err.println(USAGE);
      System.exit(2);
    }
    if (token == null) {
      token = devToken(issuer, user);
    }
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      CreateUserResponse response = UserServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .createUser(CreateUserRequest.getDefaultInstance());
      out.println("created: " + response.getCreated());
      out.print(response.getUser());
    } catch (StatusRuntimeException e) {
      System.err.println("CreateUser failed: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      System.exit(1);
    } finally {
      channel.shutdownNow();
    }
  }

  private static String devToken(String issuer, String user) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(issuer + "/token?user=" + user)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher token = ACCESS_TOKEN.matcher(response.body());
    if (response.statusCode() != 200 || !token.find()) {
      throw new IOException("development issuer refused: HTTP " + response.statusCode() + " " + response.body());
    }
    return token.group(1);
  }
}
