package calciscreen.screening.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;

/** The rule engine is a pure function: no Spring, no HTTP, no FHIR client, no clock (style.md, "The heart"). */
@AnalyzeClasses(packages = "calciscreen.screening.rules", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule rulesArePure = noClasses().that().resideInAPackage("..rules..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.net..",
                    "ca.uhn.fhir.rest.client..", "java.net.http..");

    @ArchTest
    static final ArchRule rulesNeverReadTheClock = noClasses().that().resideInAPackage("..rules..")
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
            .because("the evaluation time is an argument");
}
