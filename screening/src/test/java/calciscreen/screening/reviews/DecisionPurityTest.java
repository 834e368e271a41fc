package calciscreen.screening.reviews;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;

/** Whether a Flag needs a look, and the figures, are pure: no Spring, no HTTP, no FHIR client, no clock. */
@AnalyzeClasses(packages = "calciscreen.screening.reviews", importOptions = ImportOption.DoNotIncludeTests.class)
class DecisionPurityTest {


    @ArchTest
    static final ArchRule decisionIsPure = noClasses().that().haveNameMatching(pattern())
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.net..",
                    "ca.uhn.fhir.rest..", "jakarta.servlet..")
            .orShould().callMethod(Instant.class, "now")
            .orShould().dependOnClassesThat().areAssignableTo(Clock.class);

    static String pattern() {
        return "calciscreen\\.screening\\.reviews\\.(ReviewDecision|FlagNow|RowState|FlagActionFigures)(\\$.*)?";
    }
}
