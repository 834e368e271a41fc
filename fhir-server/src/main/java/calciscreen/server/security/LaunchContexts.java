package calciscreen.server.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SMART EHR launches, in memory: the embedded server stands in for the EHR. An operator asks for a launch of a
 * patient ({@code POST /oauth2/launch}) and gets an opaque id, good for {@link #LIFETIME}, for one sign-in: the
 * authorization request that carries it binds the patient to that sign-in (its token response, access token and ID
 * token say {@code patient}); after that the id is spent. At most {@link #CAPACITY} launches are held; beyond, new
 * ones are refused until some expire.
 */
final class LaunchContexts {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    /** A bound launch is kept until its sign-in's code could have been exchanged. */
    static final Duration BOUND_FOR = Duration.ofMinutes(10);
    static final int CAPACITY = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Launch(String patient, Instant until, boolean bound) {}

    private final Clock clock;
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();

    LaunchContexts(Clock clock) {
        this.clock = clock;
    }

    /** A new launch of {@code patient}; empty when {@link #CAPACITY} live launches are held already. */
    Optional<String> create(String patient) {
        Instant now = clock.instant();
        launches.values().removeIf(launch -> launch.until().isBefore(now));
        if (launches.size() >= CAPACITY) {
            return Optional.empty();
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        launches.put(id, new Launch(patient, now.plus(LIFETIME), false));
        return Optional.of(id);
    }

    /** Whether {@code id} is a launch that no sign-in has used yet and that has not expired. */
    boolean usable(String id) {
        Launch launch = id == null ? null : launches.get(id);
        return launch != null && !launch.bound() && !launch.until().isBefore(clock.instant());
    }

    /** Spends a usable launch on a sign-in: answers its patient, or empty if it was not usable (any more). */
    Optional<String> bind(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Launch[] bound = new Launch[1];
        launches.computeIfPresent(id, (key, launch) -> {
            if (launch.bound() || launch.until().isBefore(now)) {
                return launch;
            }
            bound[0] = new Launch(launch.patient(), now.plus(BOUND_FOR), true);
            return bound[0];
        });
        return Optional.ofNullable(bound[0]).map(Launch::patient);
    }

    /** The patient a sign-in's launch bound, for its tokens; empty for a launch that was never bound. */
    Optional<String> patientOf(String id) {
        Launch launch = id == null ? null : launches.get(id);
        return launch != null && launch.bound() && !launch.until().isBefore(clock.instant())
                ? Optional.of(launch.patient()) : Optional.empty();
    }
}
