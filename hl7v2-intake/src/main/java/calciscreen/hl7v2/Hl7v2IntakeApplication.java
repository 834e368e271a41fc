package calciscreen.hl7v2;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The HL7 v2 lab intake: an MLLP listener that turns each ORU^R01 (and ADT^A01/A04/A08) into one FHIR transaction,
 * written through the FHIR server's REST API as the lab client, and acknowledges a message only once it is stored.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class Hl7v2IntakeApplication {

    public static void main(String[] args) {
        SpringApplication.run(Hl7v2IntakeApplication.class, args);
    }
}
