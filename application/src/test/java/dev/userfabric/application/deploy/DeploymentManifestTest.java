package dev.userfabric.application.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kustomize base and the Dockerfile checked against the application itself, since this
 * machine can build no image and run no cluster: every environment variable names a setting the
 * service has (its own configuration files, or the README's table, which documents every one);
 * every container port is one the service listens on; every probe path is one the management
 * port serves; the image runs the jar the build makes.
 */
class DeploymentManifestTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path BASE = ROOT.resolve("deploy/kubernetes/base");
  private static final String POLICY_CONFIG_MAP = "userfabric-policy";
  /** What the management port serves (OperationsE2EIT checks each one on the running service). */
  private static final Set<String> SERVED_PATHS = Set.of("/health/liveness", "/health/readiness", "/prometheus");

  @Test
  public void theKustomizationNamesEveryManifestAndOnlyThose() throws Exception {
    Map<String, Object> kustomization = yaml(BASE.resolve("kustomization.yaml")).getFirst();
    List<String> resources = list(kustomization.get("resources"));

    for (String resource : resources) {
      assertTrue(Files.isRegularFile(BASE.resolve(resource)), resource);
    }
    try (var files = Files.list(BASE)) {
      assertEquals(Set.copyOf(resources), files.map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).collect(java.util.stream.Collectors.toSet()));
    }
  }

  @Test
  public void everyEnvironmentVariableNamesARealSetting() throws Exception {
    Set<String> settings = knownSettings();
    List<String> names = new ArrayList<>();
    for (Map<String, Object> document : allDocuments()) {
      String kind = (String) document.get("kind");
      if ("ConfigMap".equals(kind) && !POLICY_CONFIG_MAP.equals(map(document.get("metadata")).get("name"))) {
        names.addAll(map(document.get("data")).keySet());
      } else if ("Secret".equals(kind)) {
        names.addAll(map(document.get("stringData")).keySet());
      } else if ("Deployment".equals(kind)) {
        for (Map<String, Object> container : containers(document)) {
          for (Object env : list(container.getOrDefault("env", List.of()))) {
            names.add((String) map(env).get("name"));
          }
        }
      }
    }

    assertFalse(names.isEmpty());
    for (String name : names) {
      assertTrue(candidates(name).stream().anyMatch(settings::contains),
          name + " is no Userfabric setting (tried " + candidates(name) + ")");
    }
  }

  @Test
  public void thePolicyFileIsOneTheServiceAcceptsAndEveryPodMountsItWhereTheSettingSays() throws Exception {
    Map<String, Object> settings = null;
    String policy = null;
    for (Map<String, Object> document : allDocuments()) {
      if ("ConfigMap".equals(document.get("kind"))) {
        Map<String, Object> data = map(document.get("data"));
        if (POLICY_CONFIG_MAP.equals(map(document.get("metadata")).get("name"))) {
          policy = (String) data.get("policy.yaml");
        } else {
          settings = data;
        }
      }
    }
    String issuer = (String) settings.get("USERFABRIC_OAUTH_ISSUER");
    dev.userfabric.application.policy.PolicyDocument.parse(policy, Set.of(issuer)); // throws naming the mistake

    Path file = Path.of((String) settings.get("USERFABRIC_POLICY_FILE"));
    int deployments = 0;
    for (Map<String, Object> document : allDocuments()) {
      if ("Deployment".equals(document.get("kind"))) {
        deployments++;
        Map<String, Object> pod = map(map(map(document.get("spec")).get("template")).get("spec"));
        String volume = list(pod.get("volumes")).stream().map(DeploymentManifestTest::map)
            .filter(v -> v.containsKey("configMap") && POLICY_CONFIG_MAP.equals(map(v.get("configMap")).get("name")))
            .map(v -> (String) v.get("name")).findFirst().orElseThrow(() -> new AssertionError("no policy volume"));
        for (Map<String, Object> container : containers(document)) {
          assertTrue(list(container.get("volumeMounts")).stream().map(DeploymentManifestTest::map)
              .anyMatch(m -> volume.equals(m.get("name")) && file.getParent().toString().equals(m.get("mountPath"))),
              "the policy is not mounted at " + file.getParent());
        }
      }
    }
    assertEquals(2, deployments);
  }

  @Test
  public void everyPortAndProbeIsOneTheServiceServes() throws Exception {
    Properties defaults = new Properties();
    try (InputStream in = Files.newInputStream(ROOT.resolve("application/src/main/resources/application.properties"))) {
      defaults.load(in);
    }
    Set<Integer> listening = Set.of(Integer.parseInt(defaults.getProperty("grpc.server.port")),
        Integer.parseInt(defaults.getProperty("micronaut.server.port")));
    int probes = 0;
    for (Map<String, Object> document : allDocuments()) {
      if (!"Deployment".equals(document.get("kind"))) {
        continue;
      }
      for (Map<String, Object> container : containers(document)) {
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (Object port : list(container.get("ports"))) {
          int number = (Integer) map(port).get("containerPort");
          assertTrue(listening.contains(number), "container port " + number + " is not one the service opens");
          ports.put((String) map(port).get("name"), number);
        }
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
          assertTrue(SERVED_PATHS.contains((String) get.get("path")), probe + " path " + get.get("path"));
          Object port = get.get("port");
          int number = port instanceof Integer n ? n : ports.get((String) port);
          assertEquals(Integer.parseInt(defaults.getProperty("micronaut.server.port")), number, probe + " port");
          probes++;
        }
        assertTrue(map(container.get("resources")).containsKey("requests"), "resource requests");
      }
      Map<String, Object> annotations = map(map(map(map(document.get("spec")).get("template")).get("metadata"))
          .get("annotations"));
      assertTrue(SERVED_PATHS.contains((String) annotations.get("prometheus.io/path")));
    }
    assertEquals(4, probes, "two probes for each of the two Deployments");
  }

  @Test
  public void theApiReplicasConsumeNothingAndTheDriversDo() throws Exception {
    Map<String, String> consumers = new java.util.HashMap<>();
    for (Map<String, Object> document : allDocuments()) {
      if ("Deployment".equals(document.get("kind"))) {
        for (Object env : list(containers(document).getFirst().get("env"))) {
          if ("USERFABRIC_RABBITMQ_CONSUMERS".equals(map(env).get("name"))) {
            consumers.put((String) map(document.get("metadata")).get("name"), (String) map(env).get("value"));
          }
        }
      }
    }

    assertEquals("0", consumers.get("userfabric-api"));
    assertTrue(Integer.parseInt(consumers.get("userfabric-driver")) > 0);
  }

  @Test
  public void theImageRunsTheJarTheBuildMakesAsANonRootUser() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String pom = Files.readString(ROOT.resolve("application/pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertTrue(finalName.find());
    String jar = "application/target/" + finalName.group(1) + ".jar";

    assertTrue(dockerfile.contains("COPY --from=build /src/" + jar + " /app/userfabric.jar"), "copies " + jar);
    assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"@/app/jvm.args\", \"-XX:AOTCache=/app/userfabric.aot\", "
        + "\"-jar\", \"/app/userfabric.jar\"]"), "runs that jar with the service's JVM options and AOT cache");
    assertTrue(Pattern.compile("(?m)^FROM eclipse-temurin:25-jre$").matcher(dockerfile).find(), "a JRE base");
    assertTrue(Pattern.compile("(?m)^USER 10001").matcher(dockerfile).find(), "not root");
    assertTrue(dockerfile.contains("EXPOSE 50051 9090"));
  }

  /** Settings the service reads: its own properties files, and the README's configuration table. */
  private static Set<String> knownSettings() throws IOException {
    Set<String> settings = new HashSet<>();
    for (String file : List.of("application.properties", "application-dev.properties")) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(ROOT.resolve("application/src/main/resources/" + file))) {
        properties.load(in);
      }
      settings.addAll(properties.stringPropertyNames());
    }
    String readme = Files.readString(ROOT.resolve("README.md"));
    String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## gRPC API"));
    Matcher setting = Pattern.compile("`(userfabric\\.[a-z0-9.-]+|grpc\\.[a-z0-9.-]+|micronaut\\.[a-z0-9.-]+|…[a-z0-9.-]+)`")
        .matcher(table);
    while (setting.find()) {
      String name = setting.group(1);
      settings.add(name.startsWith("…") ? "userfabric.oauth." + name.substring(1) : name);
    }
    return settings;
  }

  /** The properties an environment variable may stand for: Micronaut joins its words with . or -. */
  private static List<String> candidates(String variable) {
    String[] words = variable.toLowerCase(java.util.Locale.ROOT).split("_");
    List<String> joined = new ArrayList<>(List.of(words[0]));
    for (int i = 1; i < words.length; i++) {
      List<String> next = new ArrayList<>();
      for (String prefix : joined) {
        next.add(prefix + "." + words[i]);
        next.add(prefix + "-" + words[i]);
      }
      joined = next;
    }
    return joined;
  }

  private static List<Map<String, Object>> allDocuments() throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (String resource : DeploymentManifestTest.<String>list(yaml(BASE.resolve("kustomization.yaml")).getFirst().get("resources"))) {
      documents.addAll(yaml(BASE.resolve(resource)));
    }
    return documents;
  }

  private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
    Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
    return list(pod.get("containers")).stream().map(DeploymentManifestTest::map).toList();
  }

  private static List<Map<String, Object>> yaml(Path file) throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
      if (document != null) {
        documents.add(map(document));
      }
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> list(Object value) {
    return (List<T>) value;
  }
}
