package calciscreen.screening.worklist;

import calciscreen.screening.RuleProperties;
import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.rules.RuleConfig;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worklist and the patient view; they read with the signed-in person's FHIR client, given at each request. */
@Configuration
public class WorklistConfig {

    @Bean
    public Worklist worklist(ScreeningProperties properties, Clock clock) {
        return new Worklist(properties.fhirBaseUrl(), clock);
    }

    @Bean
    public PatientView patientView(RuleConfig rules, RuleProperties ruleProperties, ScreeningProperties properties,
                                   Clock clock) {
        RuleProperties.Limits t = ruleProperties.thresholds();
        return new PatientView(rules,
                new PatientView.Thresholds(t.correctedCalciumMgDl(), t.phosphateMgDl(), t.pthPgMl()),
                properties.fhirBaseUrl(), clock);
    }
}
