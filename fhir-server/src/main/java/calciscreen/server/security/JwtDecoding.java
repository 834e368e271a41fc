package calciscreen.server.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.Set;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** JWT decoders over a Nimbus key source (an inline JWK Set, a file, or a JWK Set URL). */
final class JwtDecoding {

    /** The signatures SMART Backend Services allows for client assertions; our own tokens are RS384. */
    static final Set<JWSAlgorithm> SMART_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private JwtDecoding() {}

    /** A decoder that checks signatures against {@code keys}; claims are checked by the validator set on it. */
    static NimbusJwtDecoder decoder(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        // claims are validated by Spring's validators (issuer, audience, expiry), not by Nimbus' defaults
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        return new NimbusJwtDecoder(processor);
    }
}
