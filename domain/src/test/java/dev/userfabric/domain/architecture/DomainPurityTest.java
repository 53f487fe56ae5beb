package dev.userfabric.domain.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain jar is embedded by other teams: it may use nothing but itself and the JDK. */
@AnalyzeClasses(packages = "dev.userfabric.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainPurityTest {

  @ArchTest
  static final ArchRule domainDependsOnlyOnItselfAndTheJdk = classes()
      .that().resideInAPackage("dev.userfabric.domain..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("dev.userfabric.domain..", "java..");
}
