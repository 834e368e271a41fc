package calciscreen.server.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the access tokens the decoder has accepted, so that a client sending the same token with every request
 * (the screening, a lab interface: one token for minutes, dozens of requests a second) has its signature checked once,
 * not at every request. A token is served from here only as the exact string that was verified, and only until it
 * expires (without the clock skew the decoder allows: from then on the decoder decides again). A token the decoder
 * refused is never remembered. A signing key withdrawn meanwhile still lets its tokens through until they expire, as
 * it would for any self-contained token already handed out.
 *
 * <p>Only for access tokens at the resource server: client assertions at the token endpoint must be checked every
 * time (each may be used once).
 */
public final class VerifiedTokenCache implements JwtDecoder {

    static final int CAPACITY = 1_000;

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Jwt> accepted = new ConcurrentHashMap<>();

    public VerifiedTokenCache(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt known = accepted.get(token);
        if (known != null && now.isBefore(known.getExpiresAt())) {
            return known;
        }
        if (known != null) {
            accepted.remove(token, known);
        }
        Jwt jwt = decoder.decode(token); // throws when the signature or a claim is wrong
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt()) && roomFor(now)) {
            accepted.put(token, jwt);
        }
        return jwt;
    }

    /** Drops the expired tokens when full; a token that still finds no room is simply not remembered. */
    private boolean roomFor(Instant now) {
        if (accepted.size() < CAPACITY) {
            return true;
        }
        accepted.values().removeIf(jwt -> !now.isBefore(jwt.getExpiresAt()));
        return accepted.size() < CAPACITY;
    }

    int size() {
        return accepted.size();
    }
}
