package dev.userfabric.domain.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The domain jar is embedded by other teams: it may use nothing but itself and the JDK. Plain
 * JUnit tests calling {@code check}: the ArchUnit JUnit engine discovers no rules under this
 * Surefire, so rules declared as {@code @ArchTest} fields would never run.
 */
class DomainPurityTest {

  private static final JavaClasses DOMAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.userfabric.domain");

  @Test
  public void domainDependsOnlyOnItselfAndTheJdk() {
    classes().that().resideInAPackage("dev.userfabric.domain..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("dev.userfabric.domain..", "java..")
        .check(DOMAIN);
  }
}
