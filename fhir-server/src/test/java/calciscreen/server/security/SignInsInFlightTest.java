package calciscreen.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

class SignInsInFlightTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final RegisteredClient CLIENT = RegisteredClient.withId("worklist").clientId("calciscreen-worklist")
            .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("http://localhost:8081/login/oauth2/code/calciscreen").build();

    static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static OAuth2Authorization withCode(String id, String code, Instant expires) {
        return OAuth2Authorization.withRegisteredClient(CLIENT).id(id).principalName("clinician")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .token(new OAuth2AuthorizationCode(code, NOW, expires)).build();
    }

    @Test
    void aCodeIsFoundUntilItExpiresAndThenForgotten() {
        MovableClock clock = new MovableClock();
        SignInsInFlight signIns = new SignInsInFlight(clock);
        signIns.save(withCode("a", "code-a", NOW.plus(Duration.ofMinutes(5))));

        assertThat(signIns.findByToken("code-a", new OAuth2TokenType("code"))).isNotNull();
        clock.now = NOW.plus(Duration.ofMinutes(6));
        assertThat(signIns.findByToken("code-a", new OAuth2TokenType("code"))).isNull();
        assertThat(signIns.kept()).isZero();
    }

    @Test
    void expiredSignInsAreForgottenAsNewOnesArriveAndNoMoreThanTheCapacityIsKept() {
        MovableClock clock = new MovableClock();
        SignInsInFlight signIns = new SignInsInFlight(clock);
        signIns.save(withCode("old", "code-old", NOW.plus(Duration.ofMinutes(1))));
        clock.now = NOW.plus(Duration.ofMinutes(2));
        signIns.save(withCode("new", "code-new", clock.now.plus(Duration.ofMinutes(5))));
        assertThat(signIns.kept()).isEqualTo(1);

        for (int i = 0; i < SignInsInFlight.CAPACITY + 10; i++) {
            signIns.save(withCode("n" + i, "code-" + i, clock.now.plus(Duration.ofMinutes(5)).plusMillis(i)));
        }
        assertThat(signIns.kept()).isEqualTo(SignInsInFlight.CAPACITY);
        assertThat(signIns.findById("n" + (SignInsInFlight.CAPACITY + 9))).as("the newest is kept").isNotNull();
        assertThat(signIns.findById("new")).as("the soonest to expire went first").isNull();
    }

    @Test
    void clientCredentialsTokensAreNotKept() {
        SignInsInFlight signIns = new SignInsInFlight(new MovableClock());
        signIns.save(OAuth2Authorization.withRegisteredClient(CLIENT).id("backend").principalName("calciscreen-lab")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build());
        assertThat(signIns.kept()).isZero();
        assertThat(signIns.findById("backend")).isNull();
    }
}
