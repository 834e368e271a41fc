package calciscreen.screening.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of what reaches the rest-hook endpoint. */
public class IntakeMetrics {

    private final MeterRegistry registry;
    private final Counter rejected;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rejected = registry.counter("calciscreen.notifications.rejected");
    }

    public void notification(String kind) {
        registry.counter("calciscreen.notifications.received", "kind", kind).increment();
    }

    public void rejected() {
        rejected.increment();
    }

    /** A request without the notification secret (refused with 401, nothing queued). */
    public void unauthenticated() {
        registry.counter("calciscreen.notifications.unauthenticated").increment();
    }
}
