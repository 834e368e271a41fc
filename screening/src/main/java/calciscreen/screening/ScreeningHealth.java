package calciscreen.screening;

import calciscreen.screening.intake.PatientQueue;
import calciscreen.screening.intake.Reconciler;
import calciscreen.screening.intake.SubscriptionRegistrar;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "screening": Subscriptions registered, reconciliation lag, queue depth. */
@Component("screening")
public class ScreeningHealth implements HealthIndicator {

    private final ScreeningLifecycle lifecycle;
    private final SubscriptionRegistrar registrar;
    private final Reconciler reconciler;
    private final PatientQueue queue;
    private final ScreeningProperties properties;
    private final Clock clock;

    public ScreeningHealth(ScreeningLifecycle lifecycle, SubscriptionRegistrar registrar, Reconciler reconciler,
                           PatientQueue queue, ScreeningProperties properties, Clock clock) {
        this.lifecycle = lifecycle;
        this.registrar = registrar;
        this.reconciler = reconciler;
        this.queue = queue;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Health.Builder health = lifecycle.subscribed() ? Health.up() : Health.outOfService();
        health.withDetail("subscriptions", registrar.status());
        reconciler.lastSuccess().ifPresent(last -> {
            Duration lag = Duration.between(last, clock.instant());
            health.withDetail("reconciliationLagSeconds", lag.toSeconds());
            if (lag.compareTo(properties.reconcilePeriod().multipliedBy(3)) > 0) {
                health.down().withDetail("reason", "reconciliation has not succeeded for " + lag.toSeconds() + " s");
            }
        });
        reconciler.lastError().ifPresent(error -> health.withDetail("lastReconciliationError", error));
        return health.withDetail("queueDepth", queue.depth()).withDetail("parkedPatients", queue.parked()).build();
    }
}
