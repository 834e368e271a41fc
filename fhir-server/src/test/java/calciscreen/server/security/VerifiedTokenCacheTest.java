package calciscreen.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The cache in front of a real decoder (RS384 signatures, Spring's expiry check on the same clock): a token is
 * verified once and then served while it is valid; an expired, forged or refused token always goes to the decoder.
 */
class VerifiedTokenCacheTest {

    static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    RSAKey key;
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    /** What both the decoder and the cache read: the test moves {@link #clock}. */
    final Clock now = new Clock() {
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return clock.instant(); }
    };
    final AtomicInteger verified = new AtomicInteger();
    VerifiedTokenCache cache;

    @BeforeEach
    void keyAndDecoder() throws JOSEException {
        key = new RSAKeyGenerator(2048).generate();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey())
                .signatureAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.RS384).build();
        JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ofSeconds(60));
        expiry.setClock(now);
        decoder.setJwtValidator(expiry);
        JwtDecoder counting = token -> {
            verified.incrementAndGet();
            return decoder.decode(token);
        };
        cache = new VerifiedTokenCache(counting, now);
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgain() throws JOSEException {
        String token = token("calciscreen-screening", START.plusSeconds(300), key);

        assertThat(cache.decode(token).getSubject()).isEqualTo("calciscreen-screening");
        assertThat(cache.decode(token).getSubject()).isEqualTo("calciscreen-screening");
        assertThat(cache.decode(token).getSubject()).isEqualTo("calciscreen-screening");

        assertThat(verified).hasValue(1);
    }

    @Test
    void eachTokenIsVerifiedOnItsOwn() throws JOSEException {
        cache.decode(token("lab-interface", START.plusSeconds(300), key));
        cache.decode(token("calciscreen-screening", START.plusSeconds(300), key));

        assertThat(verified).hasValue(2);
    }

    @Test
    void anExpiredTokenGoesBackToTheDecoderWhichRefusesItOnceTheSkewIsOver() throws JOSEException {
        String token = token("calciscreen-screening", START.plusSeconds(300), key);
        cache.decode(token);

        clock = Clock.fixed(START.plusSeconds(300), ZoneOffset.UTC);
        cache.decode(token); // within the decoder's 60 s of clock skew: still accepted, but by the decoder
        assertThat(verified).hasValue(2);

        clock = Clock.fixed(START.plusSeconds(361), ZoneOffset.UTC);
        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedEveryTime() throws JOSEException {
        String forged = token("calciscreen-screening", START.plusSeconds(300), new RSAKeyGenerator(2048).generate());

        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);

        assertThat(verified).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void theSameClaimsWithAnotherSignatureAreNotTakenForTheVerifiedToken() throws JOSEException {
        String token = token("calciscreen-screening", START.plusSeconds(300), key);
        cache.decode(token);
        String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);

        assertThatThrownBy(() -> cache.decode(tampered)).isInstanceOf(JwtException.class);
    }

    @Test
    void aFullCacheDropsExpiredTokensAndOtherwiseStopsRemembering() throws JOSEException {
        for (int i = 0; i < VerifiedTokenCache.CAPACITY; i++) {
            cache.decode(token("client-" + i, START.plusSeconds(i < 10 ? 10 : 300), key));
        }
        assertThat(cache.size()).isEqualTo(VerifiedTokenCache.CAPACITY);

        clock = Clock.fixed(START.plusSeconds(20), ZoneOffset.UTC);
        cache.decode(token("one-more", START.plusSeconds(300), key));
        assertThat(cache.size()).isEqualTo(VerifiedTokenCache.CAPACITY - 10 + 1);
    }

    private static String token(String subject, Instant expires, RSAKey signingKey) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(START))
                .expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS384), claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }
}
