package calciscreen.hl7v2.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The intake's Prometheus metrics: messages received, accepted (AA, stored now), duplicates (AA, stored before),
 * errored (AE: may pass on a resend), rejected (AR: never will), connections closed for a framing error, and the
 * time from a message's arrival to its ACK.
 */
public final class IntakeMetrics {

    private final Counter received;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter errored;
    private final Counter rejected;
    private final Counter framingErrors;
    private final Timer ackLatency;

    public IntakeMetrics(MeterRegistry registry) {
        received = Counter.builder("calciscreen.hl7v2.messages.received").description("messages received").register(registry);
        accepted = Counter.builder("calciscreen.hl7v2.messages.accepted").description("stored and answered AA").register(registry);
        duplicates = Counter.builder("calciscreen.hl7v2.messages.duplicates")
                .description("resends of a stored message, answered with the original ACK").register(registry);
        errored = Counter.builder("calciscreen.hl7v2.messages.errored")
                .description("not stored, answered AE: a resend may pass").register(registry);
        rejected = Counter.builder("calciscreen.hl7v2.messages.rejected")
                .description("never storable as sent, answered AR").register(registry);
        framingErrors = Counter.builder("calciscreen.hl7v2.connections.framing_errors")
                .description("connections closed for an MLLP framing error").register(registry);
        ackLatency = Timer.builder("calciscreen.hl7v2.ack").description("from a message's arrival to its ACK")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    public void received() {
        received.increment();
    }

    public void answered(char ack, boolean duplicate, Duration took) {
        (duplicate ? duplicates : ack == 'A' ? accepted : ack == 'E' ? errored : rejected).increment();
        ackLatency.record(took);
    }

    public void framingError() {
        framingErrors.increment();
    }
}
