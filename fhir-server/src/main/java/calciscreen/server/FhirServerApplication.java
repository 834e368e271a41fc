package calciscreen.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The calciscreen FHIR server: a HAPI FHIR R4 JPA server at {@code /fhir}, with rest-hook Subscriptions.
 *
 * <p>HAPI's own configuration classes build the persistence layer, so Boot's JPA auto-configuration is off;
 * everything we add is wiring, in {@link JpaServerConfig}, {@link SubscriptionConfig} and {@link FhirEndpointConfig}.
 */
@SpringBootApplication(exclude = {HibernateJpaAutoConfiguration.class, JpaRepositoriesAutoConfiguration.class})
@ConfigurationPropertiesScan
public class FhirServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FhirServerApplication.class, args);
    }
}
