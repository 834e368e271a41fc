package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import calciscreen.smart.SigningKey;
import calciscreen.smart.SmartBackendClient;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Client assertions at {@code /oauth2/token} are good once and for at most five minutes (SMART Backend Services:
 * a reused {@code jti} and an {@code exp} further ahead are refused); access tokens must carry an {@code exp} and
 * live no longer than the server's token lifetime (plus clock skew).
 */
class TokenLifetimesIT extends EndToEndTest {

    @Test
    void aClientAssertionIsGoodForOneTokenRequestOnly() throws Exception {
        String assertion = labAssertion(Instant.now().plusSeconds(240), UUID.randomUUID().toString());
        assertThat(tokenRequest(assertion).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = tokenRequest(assertion);
        assertThat(replayed.statusCode()).isIn(400, 401);
        assertThat(replayed.body()).contains("invalid_client");
    }

    @Test
    void aClientAssertionExpiringMoreThanFiveMinutesAheadIsRefused() throws Exception {
        HttpResponse<String> yearLong = tokenRequest(labAssertion(Instant.now().plus(Duration.ofDays(365)),
                UUID.randomUUID().toString()));
        assertThat(yearLong.statusCode()).isIn(400, 401);
        assertThat(yearLong.body()).contains("invalid_client");
        HttpResponse<String> noJti = tokenRequest(labAssertion(Instant.now().plusSeconds(240), null));
        assertThat(noJti.statusCode()).as("no jti: nothing to tell a replay by").isIn(400, 401);
    }

    @Test
    void anAccessTokenWithoutExpOrLivingLongerThanTheTokenLifetimeIsRefused() throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).subject("calciscreen-admin")
                .audience(stack.fhirBase()).claim("client_id", "calciscreen-admin").claim("scope", "system/*.cruds")
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString());
        RSAKey serverKey = SigningKey.read(stack.authDir().resolve("authorization-server.jwk")).privateKey();
        String noExp = sign(serverKey, claims.build());
        String hourLong = sign(serverKey, claims.expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
        String withinLifetime = sign(serverKey, claims.expirationTime(Date.from(Instant.now().plusSeconds(30))).build());

        FhirHttp http = new FhirHttp(stack);
        assertThat(http.get("/Flag?status=active", noExp).statusCode()).isEqualTo(401);
        assertThat(http.get("/Flag?status=active", hourLong).statusCode()).isEqualTo(401);
        assertThat(http.get("/Flag?status=active", withinLifetime).statusCode()).as("the control").isEqualTo(200);
    }

    private static String labAssertion(Instant expiry, String jti) throws Exception {
        RSAKey key = SigningKey.read(stack.authDir().resolve("clients").resolve("calciscreen-lab.jwk")).privateKey();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("calciscreen-lab").subject("calciscreen-lab")
                .audience(tokenEndpoint()).issueTime(new Date()).expirationTime(Date.from(expiry));
        if (jti != null) {
            claims.jwtID(jti);
        }
        return sign(key, claims.build());
    }

    private static HttpResponse<String> tokenRequest(String assertion) {
        String form = "grant_type=client_credentials&scope=" + URLEncoder.encode("system/Flag.rs", StandardCharsets.UTF_8)
                + "&client_assertion_type=" + URLEncoder.encode(SmartBackendClient.ASSERTION_TYPE, StandardCharsets.UTF_8)
                + "&client_assertion=" + assertion;
        return stack.send(HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String issuer() {
        return stack.fhirBase().replace("/fhir", "");
    }

    private static String tokenEndpoint() {
        return issuer() + "/oauth2/token";
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
