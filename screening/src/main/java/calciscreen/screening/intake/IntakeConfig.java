package calciscreen.screening.intake;

import calciscreen.screening.ScreeningProperties;
import calciscreen.screening.rules.RuleConfig;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the intake: what finds the patients that may have changed (the queue itself is the screening's). */
@Configuration
class IntakeConfig {

    @Bean(destroyMethod = "close")
    DeletedResourceResolver deletedResourceResolver(IGenericClient client, PatientQueue queue) {
        return new DeletedResourceResolver(client, queue);
    }

    @Bean
    NotifiedChanges notifiedChanges(ScreeningProperties properties) {
        // a pass reads from its mark less the overlap, and the mark moves at every pass: twice that is plenty
        return new NotifiedChanges(properties.reconcilePeriod().plus(properties.reconcileOverlap()).multipliedBy(2));
    }

    @Bean
    Reconciler reconciler(IGenericClient client, PatientQueue queue, DeletedResourceResolver deletes,
                          NotifiedChanges notified, SubscriptionRegistrar registrar, ScreeningProperties properties,
                          Clock clock) {
        return new Reconciler(client, queue, deletes, notified, registrar::rulesMayRead, registrar::windowStart,
                new DurableInstant(properties.stateDir().resolve("reconciliation-high-water-mark")),
                new DurableInstant(properties.stateDir().resolve("reconciliation-deep-high-water-mark")),
                properties.reconcileOverlap(), properties.reconcilePeriod(), clock);
    }

    @Bean
    SubscriptionRegistrar subscriptionRegistrar(IGenericClient client, ScreeningProperties properties,
                                                NotificationSecret secret, RuleConfig config, Clock clock) {
        return new SubscriptionRegistrar(client, properties.notificationEndpoint(), secret, config.lookback(), clock);
    }

    @Bean
    FilterRegistrationBean<NotificationAuthFilter> notificationAuthFilter(NotificationSecret secret,
                                                                          IntakeMetrics metrics) {
        var registration = new FilterRegistrationBean<>(new NotificationAuthFilter(secret, metrics));
        registration.addUrlPatterns(ScreeningProperties.NOTIFY_PATH, ScreeningProperties.NOTIFY_PATH + "/*");
        return registration;
    }

    @Bean
    IntakeMetrics intakeMetrics(MeterRegistry metrics) {
        return new IntakeMetrics(metrics);
    }
}
