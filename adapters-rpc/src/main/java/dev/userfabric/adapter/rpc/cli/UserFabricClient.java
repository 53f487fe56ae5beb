package dev.userfabric.adapter.rpc.cli;

import com.google.protobuf.Timestamp;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.DeleteUserRequest;
import dev.userfabric.proto.v1.DeleteUserResponse;
import dev.userfabric.proto.v1.GetUserRequest;
import dev.userfabric.proto.v1.ListUsersRequest;
import dev.userfabric.proto.v1.ListUsersResponse;
import dev.userfabric.proto.v1.RefreshUserRequest;
import dev.userfabric.proto.v1.RefreshUserResponse;
import dev.userfabric.proto.v1.User;
import dev.userfabric.proto.v1.UserProfile;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command-line client for the running service: gets a token for a user from the development
 * identity provider (or takes one given) and calls {@code userfabric.v1.UserService/CreateUser},
 * or another of its methods.
 */
public final class UserFabricClient {

  private static final String USAGE = """
      usage: userfabric-client [options] (USER | --token TOKEN)
        USER              asks the development identity provider for USER's token, then calls
                          CreateUser (or the --call method) with it
        --token TOKEN     calls with this access token instead
        --call METHOD     create (default), get, refresh, delete, list
        --user-id ID      for get and delete: another user than the caller's own (needs the read
                          or admin scope)
        --issuer-filter I for list: only this issuer's users; --page-size N (default 100)
        --scope SCOPES    the scopes the development token carries (default "openid profile email";
                          e.g. "openid userfabric:admin" for the admin calls)
        --print-token     prints the token (for grpcurl and friends) instead of calling CreateUser
        --target H:P      the service (default 127.0.0.1:50051)
        --issuer URL      the development identity provider (default http://127.0.0.1:8480)
        --tls-ca FILE     speak TLS, trusting the server certificate(s) in FILE (PEM)
        --tls-cert FILE   with --tls-key: present this client certificate (mutual TLS)
        --tls-key FILE    the client certificate's private key (PKCS#8 PEM)
        --authority NAME  the name the server certificate must carry (default: the target's host)""";
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  private UserFabricClient() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("userfabric-client: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(USAGE);
      return;
    }
    String token = options.token != null ? options.token : devToken(options.issuer, options.user, options.scope);
    if (options.printToken) {
      System.out.println(token);
      return;
    }
    ManagedChannel channel = channel(options);
    try {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      call(options, users, System.out);
    } catch (StatusRuntimeException e) {
      System.err.println(options.method() + " failed: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      System.exit(1);
    } finally {
      channel.shutdownNow();
    }
  }

  private static void call(Options options, UserServiceGrpc.UserServiceBlockingStub users, PrintStream out) {
    switch (options.call) {
      case "create" -> print(users.createUser(CreateUserRequest.getDefaultInstance()), out);
      case "get" -> print(users.getUser(GetUserRequest.newBuilder().setUserId(options.userId).build()).getUser(), out);
      case "refresh" -> {
        RefreshUserResponse response = users.refreshUser(RefreshUserRequest.getDefaultInstance());
        out.println("changed    : " + (response.getChangedFieldsCount() == 0 ? "nothing"
            : String.join(", ", response.getChangedFieldsList())));
        print(response.getUser(), out);
      }
      case "delete" -> {
        DeleteUserResponse response = users.deleteUser(DeleteUserRequest.newBuilder().setUserId(options.userId).build());
        out.println("deleted    : " + response.getUserId() + " (version " + response.getVersion() + ")");
        out.println("tokens revoked before : " + readable(response.getTokensRevokedBefore()));
      }
      case "list" -> {
        ListUsersResponse page = users.listUsers(ListUsersRequest.newBuilder()
            .setIssuer(options.issuerFilter).setPageSize(options.pageSize).build());
        page.getUsersList().forEach(user -> out.println(user.getId() + "  " + user.getIssuer() + "  " + user.getSubject()
            + (user.getProfile().hasEmail() ? "  " + user.getProfile().getEmail() : "")));
        out.println(page.getUsersCount() + " users" + (page.getNextPageToken().isEmpty() ? "" : ", more after this page"));
      }
      default -> throw new IllegalStateException("unknown call " + options.call); // parse() checked it
    }
  }

  static void print(CreateUserResponse response, PrintStream out) {
    out.println("created    : " + response.getCreated());
    print(response.getUser(), out);
  }

  static void print(User user, PrintStream out) {
    UserProfile profile = user.getProfile();
    out.println("id         : " + user.getId());
    out.println("issuer     : " + user.getIssuer());
    out.println("subject    : " + user.getSubject());
    if (profile.hasEmail()) {
      out.println("email      : " + profile.getEmail() + (profile.getEmailVerified() ? " (verified)" : " (not verified)"));
    }
    if (profile.hasName()) {
      out.println("name       : " + profile.getName());
    }
    if (profile.hasLocale()) {
      out.println("locale     : " + profile.getLocale());
    }
    out.println("created at : " + readable(user.getCreatedAt()));
    out.println("version    : " + user.getVersion());
  }

  static String readable(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
  }

  private static ManagedChannel channel(Options options) throws IOException {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(options.target);
    if (options.tlsCa == null) {
      return builder.usePlaintext().build();
    }
    SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(new File(options.tlsCa));
    if (options.tlsCert != null) {
      tls.keyManager(new File(options.tlsCert), new File(options.tlsKey));
    }
    builder.sslContext(tls.build()).useTransportSecurity();
    if (options.authority != null) {
      builder.overrideAuthority(options.authority);
    }
    return builder.build();
  }

  private static String devToken(String issuer, String user, String scope) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(issuer + "/token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher token = ACCESS_TOKEN.matcher(response.body());
    if (response.statusCode() != 200 || !token.find()) {
      throw new IOException("development issuer refused: HTTP " + response.statusCode() + " " + response.body());
    }
    return token.group(1);
  }

  private static final class Options {
    String target = "127.0.0.1:50051";
    String issuer = "http://127.0.0.1:8480";
    String scope = "openid profile email";
    String token;
    String user;
    String tlsCa;
    String tlsCert;
    String tlsKey;
    String authority;
    String call = "create";
    String userId = "";
    String issuerFilter = "";
    int pageSize = 100;
    boolean printToken;
    boolean help;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "-h", "--help" -> options.help = true;
          case "--print-token" -> options.printToken = true;
          case "--target" -> options.target = value(args, ++i, arg);
          case "--issuer" -> options.issuer = value(args, ++i, arg);
          case "--token" -> options.token = value(args, ++i, arg);
          case "--scope" -> options.scope = value(args, ++i, arg);
          case "--tls-ca" -> options.tlsCa = value(args, ++i, arg);
          case "--tls-cert" -> options.tlsCert = value(args, ++i, arg);
          case "--tls-key" -> options.tlsKey = value(args, ++i, arg);
          case "--authority" -> options.authority = value(args, ++i, arg);
          case "--call" -> options.call = value(args, ++i, arg);
          case "--user-id" -> options.userId = value(args, ++i, arg);
          case "--issuer-filter" -> options.issuerFilter = value(args, ++i, arg);
          case "--page-size" -> options.pageSize = Integer.parseInt(value(args, ++i, arg));
          default -> {
            if (arg.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            if (options.user != null) {
              throw new IllegalArgumentException("one USER at a time, not " + options.user + " and " + arg);
            }
            options.user = arg;
          }
        }
      }
      if (!options.help && options.token == null && options.user == null) {
        throw new IllegalArgumentException("name a USER or pass --token");
      }
      if (!java.util.List.of("create", "get", "refresh", "delete", "list").contains(options.call)) {
        throw new IllegalArgumentException("--call is one of create, get, refresh, delete, list, not " + options.call);
      }
      if ((options.tlsCert == null) != (options.tlsKey == null)) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      if (options.tlsCert != null && options.tlsCa == null) {
        throw new IllegalArgumentException("--tls-cert needs --tls-ca");
      }
      return options;
    }

    String method() {
      return switch (call) {
        case "get" -> "GetUser";
        case "refresh" -> "RefreshUser";
        case "delete" -> "DeleteUser";
        case "list" -> "ListUsers";
        default -> "CreateUser";
      };
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }
  }
}
