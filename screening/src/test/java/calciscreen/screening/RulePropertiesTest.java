package calciscreen.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import calciscreen.screening.rules.RuleConfig;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Each default of the rule set has one source: the shipped application.yaml and the {@code @DefaultValue}s of
 * {@link RuleProperties} both bind to exactly {@link RuleConfig#v1()} (docs/screening-rules.md v1.0.0), so a change to
 * any one of the three fails here; and a threshold binds with its units, checked at start.
 */
class RulePropertiesTest {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static RuleConfig bind(StandardEnvironment environment) {
        return Binder.get(environment).bind("calciscreen.rules", RuleProperties.class)
                .orElseGet(() -> Binder.get(environment).bindOrCreate("calciscreen.rules", RuleProperties.class))
                .toRuleConfig();
    }

    @Test
    void theShippedApplicationYamlIsRuleSetV1() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addFirst);
        ConfigurationPropertySources.attach(environment);
        assertThat(environment.getProperty("calciscreen.rules.thresholds.pth")).isEqualTo("585 pg/mL, 585 ng/L, 62.0 pmol/L");
        assertThat(bind(environment)).isEqualTo(RuleConfig.v1());
    }

    @Test
    void aThresholdBindsInItsUnitsAsTheRuleSetStatesIt() {
        RuleConfig config = bind(environment(Map.of("calciscreen.rules.thresholds.pth", "600 pg/mL, 63.6 pmol/L")));
        assertThat(config.thresholds().pthAbove()).isEqualTo(RuleConfig.UnitThreshold.of(600, "pg/mL")
                .alsoIn(63.6, "pmol/L"));
        assertThat(config.thresholds().pthAbove().limitIn("ng/L")).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "pth; 585 mg/dL; the first limit must be in pg/mL, the canonical unit; got 585.0 mg/dL",
        "pth; 585 pg/mL, 62 pmol/l; 'pmol/l' is not a UCUM unit of pth (accepted:",
        "albumin; 3.0 g/dL, 3.0 g/dL; g/dL is given twice",
        "calcium-phosphate-product; 55; a threshold is a number and a UCUM unit, e.g. '585 pg/mL'; got '55'",
        "calcium-phosphate-product; 55 mg/dL; give it in mg2/dL2",
        "bmi; thirty kg/m2; a threshold is a number and a UCUM unit"})
    void aThresholdInAWrongUnitFailsTheStartSayingWhich(String key, String value, String message) {
        StandardEnvironment environment = environment(Map.of("calciscreen.rules.thresholds." + key, value));
        assertThatThrownBy(() -> bind(environment)).isInstanceOf(BindException.class)
                .satisfies(e -> assertThat(rootCause(e).getMessage()).contains(message));
    }

    @Test
    void theDefaultsWithoutAnyConfigurationAreRuleSetV1() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("none", Map.of()));
        assertThat(bind(environment)).isEqualTo(RuleConfig.v1());
    }
}
