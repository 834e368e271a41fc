package calciscreen.server;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server's {@code @Configuration} classes only wire: what they offer is {@code @Bean} methods, they keep no
 * state, and no other class calls into them (the behaviour lives in the classes they build).
 */
@AnalyzeClasses(packages = "calciscreen.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ConfigurationOnlyWiresTest {

    /** A configuration class or a class nested in one (its anonymous and inner helper classes). */
    private static final DescribedPredicate<JavaClass> CONFIGURATION_OR_NESTED = DescribedPredicate.describe(
            "a @Configuration class or nested in one", ConfigurationOnlyWiresTest::inConfiguration);

    @ArchTest
    static final ArchRule whatTheyOfferIsBeans = methods()
            .that().areDeclaredInClassesThat().areAnnotatedWith(Configuration.class).and().arePublic()
            .should().beAnnotatedWith(Bean.class);

    @ArchTest
    static final ArchRule theyKeepNoState = fields()
            .that().areDeclaredInClassesThat().areAnnotatedWith(Configuration.class)
            .should().beStatic().andShould().beFinal();

    @ArchTest
    static final ArchRule nothingCallsIntoThem = noClasses()
            .that(not(CONFIGURATION_OR_NESTED))
            .should().dependOnClassesThat().areAnnotatedWith(Configuration.class);

    private static boolean inConfiguration(JavaClass type) {
        for (JavaClass c = type; c != null; c = c.getEnclosingClass().orElse(null)) {
            if (c.isAnnotatedWith(Configuration.class)) {
                return true;
            }
        }
        return false;
    }
}
