package calciscreen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A CDS client's JWT counts only within its time window: an {@code iat} (required by CDS Hooks) in the future or
 * from long ago, and an {@code nbf} still ahead, are refused like an expired one; the same JWT within its window is
 * accepted (the control).
 */
class CdsClientJwtIT extends EndToEndTest {

    @Test
    void aJwtIssuedInTheFutureLongAgoOrNotYetValidIsRefused() throws Exception {
        CdsHooks cds = new CdsHooks(stack);
        ECKey dev = ECKey.parse(Files.readString(stack.screeningStateDir().resolve("cds-dev-client.jwk.json")));
        Instant now = Instant.now();
        String body = CdsHooks.request("p-1").toString();

        assertThat(cds.call(body, jwt(dev, cds, c -> c.issueTime(Date.from(now.plusSeconds(600))))).statusCode())
                .as("iat ahead").isEqualTo(401);
        assertThat(cds.call(body, jwt(dev, cds, c -> c.issueTime(Date.from(now.minusSeconds(3600))))).statusCode())
                .as("iat an hour ago").isEqualTo(401);
        assertThat(cds.call(body, jwt(dev, cds, c -> c.issueTime(null))).statusCode()).as("no iat").isEqualTo(401);
        assertThat(cds.call(body, jwt(dev, cds, c -> c.notBeforeTime(Date.from(now.plusSeconds(600))))).statusCode())
                .as("nbf ahead").isEqualTo(401);
        assertThat(cds.call(body, jwt(dev, cds, c -> c.notBeforeTime(Date.from(now.minusSeconds(5))))).statusCode())
                .as("within its window").isEqualTo(200);
    }

    private static String jwt(ECKey key, CdsHooks cds, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("calciscreen-dev-ehr").subject("calciscreen-dev-ehr")
                .audience(cds.serviceUrl()).issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).build(),
                change.apply(claims).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
