package calciscreen.screening.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Counters of what reaches the rest-hook endpoint, and how late it comes. */
class IntakeMetrics {

    private final MeterRegistry registry;
    private final Counter rejected;
    private final Timer lag;

    IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rejected = registry.counter("calciscreen.notifications.rejected");
        this.lag = Timer.builder("calciscreen.notification.lag")
                .description("from the changed resource's meta.lastUpdated to its notification reaching the screening")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    /** A notification arrived this long after the server stamped its resource (negative: clocks apart, not kept). */
    public void lag(Duration sinceStored) {
        if (!sinceStored.isNegative()) {
            lag.record(sinceStored);
        }
    }

    public void notification(String kind) {
        registry.counter("calciscreen.notifications.received", "kind", kind).increment();
    }

    public void rejected() {
        rejected.increment();
    }

    /** A notification whose payload is not a version the server stores (dropped; reconciliation reads the server). */
    public void unverified() {
        registry.counter("calciscreen.notifications.unverified").increment();
    }

    /** A notification of a transaction its patient's read already brings (answered without reading it back). */
    public void inRead() {
        registry.counter("calciscreen.notifications.in_read").increment();
    }

    /** A request without the notification secret (refused with 401, nothing queued). */
    public void unauthenticated() {
        registry.counter("calciscreen.notifications.unauthenticated").increment();
    }
}
