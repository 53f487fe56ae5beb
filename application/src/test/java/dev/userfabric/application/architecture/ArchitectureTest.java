package dev.userfabric.application.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.userfabric.application.UserFabricApplication;
import io.grpc.ServerBuilder;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the hexagon, checked on every module's production classes (as jars on the
 * application's classpath). Plain JUnit tests calling {@code check}, because the ArchUnit JUnit
 * engine discovers no {@code @ArchTest} rules under this Surefire.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ArchitectureTest::notATestJar)
      .importPackages("dev.userfabric");

  private static final String DOMAIN = "dev.userfabric.domain..";
  private static final String RPC = "dev.userfabric.adapter.rpc..";
  private static final String EVENT = "dev.userfabric.adapter.event..";
  private static final String OAUTH = "dev.userfabric.adapter.oauth..";
  private static final String CACHE = "dev.userfabric.adapter.cache..";
  private static final String PROTO = "dev.userfabric.proto..";
  private static final String APPLICATION = "dev.userfabric.application..";

  private static boolean notATestJar(Location location) {
    return !location.contains("-tests.jar") && !location.contains("/test-classes/");
  }

  @Test
  public void seesTheClassesOfEveryModule() {
    for (String module : new String[] {DOMAIN, RPC, EVENT, OAUTH, CACHE, PROTO, APPLICATION}) {
      String pkg = module.substring(0, module.length() - 2);
      assertTrue(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
          "no classes imported from " + pkg);
    }
  }

  @Test
  public void domainDependsOnlyOnItselfAndTheJdk() {
    noClasses().that().resideInAPackage(DOMAIN)
        .should().dependOnClassesThat(not(resideInAPackage(DOMAIN)).and(not(resideInAPackage("java.."))))
        .check(CLASSES);
  }

  @Test
  public void layersAndAdaptersKeepTheirDistance() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Model").definedBy("dev.userfabric.domain.model..")
        .layer("Ports").definedBy("dev.userfabric.domain.port..")
        .layer("Services").definedBy("dev.userfabric.domain.service..")
        .layer("Rpc").definedBy(RPC)
        .layer("Event").definedBy(EVENT)
        .layer("OAuth").definedBy(OAUTH)
        .layer("Cache").definedBy(CACHE)
        .layer("Proto").definedBy(PROTO)
        .layer("Application").definedBy(APPLICATION)
        .whereLayer("Application").mayNotBeAccessedByAnyLayer()
        .whereLayer("Services").mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Rpc").mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Event").mayOnlyBeAccessedByLayers("Application")
        .whereLayer("OAuth").mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Cache").mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Proto").mayOnlyBeAccessedByLayers("Rpc", "Event")
        .whereLayer("Ports").mayOnlyBeAccessedByLayers("Services", "Rpc", "Event", "OAuth", "Cache", "Application")
        .check(CLASSES);
  }

  @Test
  public void grpcStaysInTheRpcAdapterAndTheContracts() {
    // Micronaut's hook for the server's transport (TLS) is typed by gRPC's ServerBuilder: the
    // composition root may name that one type, in that one class, and hands it to the adapter
    // (GrpcServerCustomizer: TLS and the calls' executor).
    noClasses().that().resideOutsideOfPackages(RPC, PROTO)
        .should().dependOnClassesThat(resideInAPackage("io.grpc..").and(not(type(ServerBuilder.class))))
        .check(CLASSES);
    // (Micronaut's generated $GrpcServerCustomizer$Definition names it too.)
    noClasses().that().resideOutsideOfPackages(RPC, PROTO)
        .and().haveNameNotMatching(".*\\.\\$?GrpcServerCustomizer(\\$Definition.*)?")
        .should().dependOnClassesThat().belongToAnyOf(ServerBuilder.class)
        .check(CLASSES);
  }

  @Test
  public void protobufStaysWithTheContractsAndTheAdaptersThatSpeakThem() {
    // The event adapter speaks protobuf too: the UserCreated body is a protobuf message.
    confined("com.google.protobuf..", RPC, EVENT, PROTO);
  }

  @Test
  public void lettuceStaysInTheCacheAdapter() {
    confined("io.lettuce..", CACHE);
  }

  @Test
  public void rabbitMqStaysInTheEventAdapter() {
    confined("com.rabbitmq..", EVENT);
  }

  @Test
  public void nimbusStaysInTheOAuthAdapter() {
    confined("com.nimbusds..", OAUTH);
  }

  @Test
  public void micronautStaysInTheApplication() {
    confined("io.micronaut..", APPLICATION);
    confined("jakarta.inject..", APPLICATION);
  }

  @Test
  public void packagesFormNoCycles() {
    slices().matching("dev.userfabric.(*)..").should().beFreeOfCycles().check(CLASSES);
    slices().matching("dev.userfabric.domain.(*)..").should().beFreeOfCycles().check(CLASSES);
    slices().matching("dev.userfabric.adapter.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  public void codeFollowsTheHygieneRules() {
    GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(CLASSES);
    GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(CLASSES);
    GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.check(CLASSES);
    // The command-line client's job is to print, and the rebuild command's to report; the
    // launcher's one line goes to standard error when the start fails before there is anything
    // else to say it with.
    noClasses().that().resideOutsideOfPackage("dev.userfabric.adapter.rpc.cli..")
        .and().doNotBelongToAnyOf(UserFabricApplication.class)
        .and().doNotHaveFullyQualifiedName("dev.userfabric.application.Rebuild")
        .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS).check(CLASSES);
  }

  private static void confined(String library, String... allowedIn) {
    noClasses().that().resideOutsideOfPackages(allowedIn)
        .should().dependOnClassesThat().resideInAPackage(library)
        .check(CLASSES);
  }
}
