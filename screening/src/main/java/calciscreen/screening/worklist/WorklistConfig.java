package calciscreen.screening.worklist;

import calciscreen.screening.RuleProperties;
import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.context.PatientRecordLoader;
import calciscreen.screening.rules.RuleConfig;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worklist reads through the screening's one FHIR client (whatever authentication that client carries). */
@Configuration
public class WorklistConfig {

    @Bean
    public Worklist worklist(IGenericClient fhirClient, ScreeningProperties properties, Clock clock) {
        return new Worklist(fhirClient, properties.fhirBaseUrl(), clock);
    }

    @Bean
    public PatientView patientView(IGenericClient fhirClient, RuleConfig rules, RuleProperties ruleProperties,
                                   ScreeningProperties properties, Clock clock) {
        RuleProperties.Limits t = ruleProperties.thresholds();
        return new PatientView(new PatientRecordLoader(fhirClient), rules,
                new PatientView.Thresholds(t.correctedCalciumMgDl(), t.phosphateMgDl(), t.pthPgMl()),
                properties.fhirBaseUrl(), clock);
    }
}
