package calciscreen.screening.reviews;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the flag actions: the decision with its configured limits (the sign-in's {@link SignedInSeam} is the signin package's). */
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
}
