package calciscreen.screening.reviews;

import calciscreen.screening.ScreeningProperties;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the flag actions: the decision with its configured limits, and the seam to the sign-in. */
@Configuration
public class ReviewConfig {

    @Bean
    public ReviewDecision reviewDecision(ReviewProperties properties) {
        return new ReviewDecision(properties.maxSnooze(), properties.overriddenCardQuietFor());
    }

    @Bean
    public FlagActions flagActions(ReviewDecision decision) {
        return new FlagActions(decision);
    }

    @Bean(destroyMethod = "close")
    public FlagActionMetrics flagActionMetrics(IGenericClient fhirClient, MeterRegistry registry,
                                               ReviewProperties properties) {
        return new FlagActionMetrics(fhirClient, registry).start(properties.metricsRefresh());
    }

    @Bean
    @ConditionalOnMissingBean(SignedInSeam.class)
    public SignedInSeam signedInSeam(IGenericClient fhirClient, ScreeningProperties properties) {
        return new ServletPrincipalSeam(fhirClient, properties.fhirBaseUrl());
    }
}
