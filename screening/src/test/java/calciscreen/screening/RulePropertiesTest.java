package calciscreen.screening;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.screening.rules.RuleConfig;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Each default of the rule set has one source: the shipped application.yaml and the {@code @DefaultValue}s of
 * {@link RuleProperties} both bind to exactly {@link RuleConfig#v1()} (screening-rules.md v1.0.0).
 */
class RulePropertiesTest {

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
        assertThat(environment.getProperty("calciscreen.rules.thresholds.pth-pg-ml")).isEqualTo("585");
        assertThat(bind(environment)).isEqualTo(RuleConfig.v1());
    }

    @Test
    void theDefaultsWithoutAnyConfigurationAreRuleSetV1() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("none", Map.of()));
        assertThat(bind(environment)).isEqualTo(RuleConfig.v1());
    }
}
