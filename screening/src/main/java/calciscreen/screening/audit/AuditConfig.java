package calciscreen.screening.audit;

import calciscreen.screening.ScreeningProperties;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The read audit writes with the screening's own client: the one allowed {@code system/AuditEvent.c}. */
@Configuration
public class AuditConfig {

    @Bean
    public ReadAudits readAudits(IGenericClient fhirClient, ScreeningProperties properties, Clock clock) {
        return new ReadAudits(fhirClient, properties.fhirBaseUrl(), clock);
    }
}
