package calciscreen.screening;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The screening service: listens to the FHIR server through rest-hook Subscriptions, evaluates rule set v1
 * for each patient whose data changed, and keeps that patient's single calciphylaxis-risk Flag true.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ScreeningApplication {

    public static void main(String[] args) {
        SpringApplication.run(ScreeningApplication.class, args);
    }
}
