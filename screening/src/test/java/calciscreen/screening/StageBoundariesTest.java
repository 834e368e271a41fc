package calciscreen.screening;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The screening's stages depend downwards only, as docs/architecture.md draws the pipeline:
 * {@code rules <- context <- intake, flags <- screen, backfill <- cds, worklist, reviews, signin}. A stage may use
 * the stages below it and the root package's configuration records ({@code *Properties}); only the root package's
 * wiring ({@code ScreeningConfig} and the lifecycle) knows every stage. No two packages depend on each other.
 */
@AnalyzeClasses(packages = "calciscreen.screening", importOptions = ImportOption.DoNotIncludeTests.class)
class StageBoundariesTest {

    private static final String ROOT = "calciscreen.screening";
    /** The stages that read patients' data for people and EHRs: nothing in the pipeline depends on them. */
    /** The root package's configuration records, nested ones included ({@code RuleProperties.Limits}). */
    private static final DescribedPredicate<HasName> PROPERTIES =
            nameMatching("calciscreen\\.screening\\.[A-Za-z]+Properties(\\$.*)?");
    private static final String[] EDGE = packages("cds", "worklist", "reviews", "signin", "audit");

    @ArchTest
    static final ArchRule rulesDependOnNoOtherStage = stage("rules");

    @ArchTest
    static final ArchRule contextReadsRecordsForTheRulesOnly = stage("context", "rules");

    @ArchTest
    static final ArchRule intakeKnowsWhichPatientNotHowItIsScreened = stage("intake", "context", "rules");

    @ArchTest
    static final ArchRule flagsWriteWhatTheRulesDecided = stage("flags", "context", "rules");

    @ArchTest
    static final ArchRule screeningJoinsTheStagesBelow = stage("screen", "intake", "flags", "context", "rules");

    @ArchTest
    static final ArchRule backfillQueuesThroughTheIntake = stage("backfill", "intake", "context", "rules");

    @ArchTest
    static final ArchRule thePipelineDoesNotDependOnItsReaders = noClasses()
            .that().resideInAnyPackage(packages("rules", "context", "intake", "flags", "screen", "backfill"))
            .should().dependOnClassesThat().resideInAnyPackage(EDGE);

    @ArchTest
    static final ArchRule onlyTheWiringReachesIntoTheRootPackage = noClasses()
            .that().resideInAPackage(ROOT + ".(*)..")
            .should().dependOnClassesThat(resideInAPackage(ROOT).and(not(PROPERTIES)))
            .because("a stage is built by ScreeningConfig; it takes its settings as *Properties records");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

    /** The classes of {@code stage} depend, within the screening, only on {@code below} and *Properties records. */
    private static ArchRule stage(String stage, String... below) {
        String[] allowed = packages(append(below, stage));
        return classes().that().resideInAPackage(ROOT + "." + stage + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                        .or(resideInAnyPackage(allowed))
                        .or(PROPERTIES))
                .allowEmptyShould(false);
    }

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(name -> ROOT + "." + name + "..").toArray(String[]::new);
    }

    private static String[] append(String[] names, String name) {
        String[] all = Arrays.copyOf(names, names.length + 1);
        all[names.length] = name;
        return all;
    }
}
