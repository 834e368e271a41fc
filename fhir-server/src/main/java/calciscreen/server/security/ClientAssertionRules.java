package calciscreen.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What SMART Backend Services asks of a client assertion beyond Spring Authorization Server's checks (signature,
 * iss = sub = client id, aud, exp not past): an {@code exp} at most five minutes ahead, and a {@code jti} used once.
 * A used jti is remembered until its assertion expires (no longer: an expired assertion is refused anyway). Only
 * assertions whose signature verified reach this check, so only a client's own assertions fill the memory; should
 * it ever hold {@link #CAPACITY} live ones, assertions are refused until some expire rather than forgotten early.
 */
final class ClientAssertionRules implements OAuth2TokenValidator<Jwt> {

    static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /** The same allowance for clock differences as Spring's timestamp check. */
    static final Duration SKEW = Duration.ofSeconds(60);
    static final int CAPACITY = 100_000;

    private final Clock clock;
    private final Map<String, Instant> usedUntil = new ConcurrentHashMap<>();

    ClientAssertionRules(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt assertion) {
        Instant now = clock.instant();
        Instant expiry = assertion.getExpiresAt();
        if (expiry == null) {
            return refused("the client assertion has no exp");
        }
        if (expiry.isAfter(now.plus(MAX_AHEAD).plus(SKEW))) {
            return refused("the client assertion's exp is more than 5 minutes ahead (SMART Backend Services)");
        }
        String jti = assertion.getId();
        if (jti == null || jti.isBlank()) {
            return refused("the client assertion has no jti");
        }
        if (usedUntil.size() >= CAPACITY) {
            usedUntil.values().removeIf(until -> until.plus(SKEW).isBefore(now));
            if (usedUntil.size() >= CAPACITY) {
                return refused("too many live client assertions; try again shortly");
            }
        }
        String key = assertion.getSubject() + " " + jti;
        Instant previous = usedUntil.putIfAbsent(key, expiry);
        if (previous != null) {
            return refused("the client assertion's jti was used before: an assertion is good for one token request");
        }
        return OAuth2TokenValidatorResult.success();
    }

    int remembered() {
        return usedUntil.size();
    }

    private static OAuth2TokenValidatorResult refused(String why) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, why, null));
    }
}
