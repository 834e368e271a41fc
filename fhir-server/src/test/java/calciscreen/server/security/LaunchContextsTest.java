package calciscreen.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LaunchContextsTest {

    @Test
    void aLaunchBindsItsPatientOnceAndTheBoundPatientStaysForTheTokens() {
        SignInsInFlightTest.MovableClock clock = new SignInsInFlightTest.MovableClock();
        LaunchContexts launches = new LaunchContexts(clock);
        String launch = launches.create("p-1").orElseThrow();

        assertThat(launches.usable(launch)).isTrue();
        assertThat(launches.patientOf(launch)).as("not bound yet").isEmpty();
        assertThat(launches.bind(launch)).contains("p-1");
        assertThat(launches.usable(launch)).as("spent").isFalse();
        assertThat(launches.bind(launch)).as("only once").isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThat(launches.patientOf(launch)).contains("p-1");
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(launches.patientOf(launch)).isEmpty();
    }

    @Test
    void anUnknownOrExpiredLaunchBindsNothing() {
        SignInsInFlightTest.MovableClock clock = new SignInsInFlightTest.MovableClock();
        LaunchContexts launches = new LaunchContexts(clock);
        String launch = launches.create("p-1").orElseThrow();
        clock.now = clock.now.plus(LaunchContexts.LIFETIME).plusSeconds(1);

        assertThat(launches.usable(launch)).isFalse();
        assertThat(launches.bind(launch)).isEmpty();
        assertThat(launches.bind("not-a-launch")).isEmpty();
        assertThat(launches.bind(null)).isEmpty();
        assertThat(launches.create("p-2").orElseThrow()).as("opaque and fresh").isNotEqualTo(launch).hasSizeGreaterThan(20);
    }
}
