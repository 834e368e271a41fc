package calciscreen.hl7v2;

import calciscreen.hl7v2.mllp.MllpListener;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health: DOWN when the MLLP listener is not accepting connections. */
@Component("mllp")
public class MllpHealth implements HealthIndicator {

    private final MllpListener listener;
    private final IntakeProperties properties;

    public MllpHealth(MllpListener listener, IntakeProperties properties) {
        this.listener = listener;
        this.properties = properties;
    }

    @Override
    public Health health() {
        return (listener.isRunning() ? Health.up() : Health.down()).withDetail("port", properties.mllpPort()).build();
    }
}
