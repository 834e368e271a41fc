package calciscreen.server.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * What the embedded server remembers of a person's sign-in, in memory: the authorization code until it is exchanged
 * (once) or expires, then the tokens it gave until they expire (userinfo and {@code /connect/logout} look them up
 * by token). A restart forgets them: sign-ins in flight start again, tokens already issued stay valid (they are
 * self-contained JWTs). SMART Backend Services tokens are not kept at all (nothing is ever looked up by them).
 * At most {@link #CAPACITY} sign-ins are kept; beyond, the one expiring soonest is forgotten first.
 */
final class SignInsInFlight implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(SignInsInFlight.class);
    static final int CAPACITY = 10_000;
    /** An authorization with no token yet (none here: no consent page) is kept this long. */
    private static final java.time.Duration WITHOUT_TOKEN = java.time.Duration.ofMinutes(5);

    private final InMemoryOAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();
    private final Map<String, Instant> keptUntil = new ConcurrentHashMap<>();
    private final Clock clock;

    SignInsInFlight(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            return;
        }
        forgetExpired();
        while (keptUntil.size() >= CAPACITY && !keptUntil.containsKey(authorization.getId())) {
            keptUntil.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(soonest -> {
                log.warn("event=sign_in_forgotten reason=capacity capacity={}", CAPACITY);
                forget(soonest.getKey());
            });
        }
        store.save(authorization);
        keptUntil.put(authorization.getId(), expiry(authorization));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        keptUntil.remove(authorization.getId());
        store.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return live(store.findById(id));
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return live(store.findByToken(token, tokenType));
    }

    int kept() {
        return keptUntil.size();
    }

    private OAuth2Authorization live(OAuth2Authorization authorization) {
        if (authorization == null) {
            return null;
        }
        Instant until = keptUntil.get(authorization.getId());
        if (until == null || until.isBefore(clock.instant())) {
            remove(authorization);
            return null;
        }
        return authorization;
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        keptUntil.forEach((id, until) -> {
            if (until.isBefore(now)) {
                forget(id);
            }
        });
    }

    private void forget(String id) {
        keptUntil.remove(id);
        OAuth2Authorization authorization = store.findById(id);
        if (authorization != null) {
            store.remove(authorization);
        }
    }

    /** When the last of its tokens (code, access token, ID token) expires. */
    private Instant expiry(OAuth2Authorization authorization) {
        return Stream.of(authorization.getToken(OAuth2AuthorizationCode.class), authorization.getAccessToken(),
                        authorization.getToken(OidcIdToken.class), authorization.getRefreshToken())
                .filter(java.util.Objects::nonNull)
                .map(OAuth2Authorization.Token::getToken)
                .map(OAuth2Token::getExpiresAt)
                .filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElseGet(() -> clock.instant().plus(WITHOUT_TOKEN));
    }
}
