package calciscreen.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "calciscreen.model", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule fhirModelDoesNotDependOnSpring = noClasses()
            .that().resideInAPackage("calciscreen.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .because("fhir-model is the shared vocabulary: plain Java + HAPI structures only (docs/architecture.md, Modules)");

    @ArchTest
    static final ArchRule fhirModelDoesNotTalkToServers = noClasses()
            .that().resideInAPackage("calciscreen.model..")
            .should().dependOnClassesThat().resideInAnyPackage("ca.uhn.fhir.rest.client..", "java.net.http..");
}
