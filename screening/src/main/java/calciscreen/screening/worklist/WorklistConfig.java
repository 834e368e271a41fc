package calciscreen.screening.worklist;

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
    public PatientView patientView(RuleConfig rules, ScreeningProperties properties, Clock clock) {
        RuleConfig.Thresholds t = rules.thresholds(); // each in its canonical unit: mg/dL, mg/dL, pg/mL
        return new PatientView(rules, new PatientView.Thresholds(t.correctedCalciumAbove().value(),
                t.phosphateAbove().value(), t.pthAbove().value()), properties.fhirBaseUrl(), clock);
    }
}
